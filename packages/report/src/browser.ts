/**
 * Headless Chromium for reports: a PNG of report.html, and the launcher the browser tests use.
 * Chromium is not bundled: set GRADLAB_CHROMIUM to its binary, or install it (Debian/Ubuntu:
 * `apt-get install chromium`). playwright-core drives it; `playwright install` is never needed.
 */
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GradlabError } from '@gradlab/core';
import { type BrowserContext, chromium } from 'playwright-core';

/** The binary tried when GRADLAB_CHROMIUM is unset (Debian's `chromium` package puts it here). */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline, throwaway Chromium (no sandbox: CI containers run as root). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const INSTALL = 'install Chromium (Debian/Ubuntu: apt-get install chromium)';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium binary to drive: $GRADLAB_CHROMIUM if set (it must exist), else /usr/bin/chromium,
 * else `chromium` or `chromium-browser` on PATH; null when there is none.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const pinned = env.GRADLAB_CHROMIUM;
  if (pinned) {
    if (!executable(pinned)) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `GRADLAB_CHROMIUM is ${pinned}, which is not an executable file: point it at a Chromium binary, or unset it and ${INSTALL}.`,
      );
    }
    return pinned;
  }
  if (executable(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const path = join(dir, name);
      if (executable(path)) return path;
    }
  }
  return null;
}

/** Like findChromium, but a missing browser is a GradlabError that says how to install one. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const path = findChromium(env);
  if (path) return path;
  throw new GradlabError(
    'INVALID_ARGUMENT',
    `PNG export needs a Chromium browser and none was found (not at ${DEFAULT_CHROMIUM}, nor as chromium on PATH): ${INSTALL}, or set GRADLAB_CHROMIUM to the path of a Chromium binary.`,
  );
}

/**
 * Runs `fn` with a headless Chromium context on a fresh temporary profile; always closes the
 * browser and removes the profile, whether `fn` succeeds or throws.
 */
export async function withChromium<T>(
  fn: (context: BrowserContext) => Promise<T>,
  o: { width?: number; height?: number; executablePath?: string } = {},
): Promise<T> {
  const executablePath = o.executablePath ?? requireChromium();
  const profile = await mkdtemp(join(tmpdir(), 'gradlab-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: o.width ?? 1200, height: o.height ?? 800 },
    });
    try {
      return await fn(context);
    } finally {
      await context.close();
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

export interface RenderPngOptions {
  /** Viewport width in CSS pixels (default 1200); the height is the whole page's. */
  readonly width?: number;
}

/**
 * Opens the HTML file `htmlPath` in headless Chromium and writes a full-page screenshot to
 * `pngPath` (atomically); returns the PNG's absolute path.
 */
export async function renderHtmlToPng(
  htmlPath: string,
  pngPath: string,
  o: RenderPngOptions = {},
): Promise<string> {
  const width = o.width ?? 1200;
  if (!Number.isInteger(width) || width < 1) {
    throw new GradlabError('INVALID_ARGUMENT', `width must be a positive integer, got ${width}`);
  }
  const out = resolve(pngPath);
  const png = await withChromium(
    async (context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load' });
      return page.screenshot({ fullPage: true, type: 'png' });
    },
    { width },
  );
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, png);
    await rename(tmp, out);
  } finally {
    await rm(tmp, { force: true });
  }
  return out;
}
