/**
 * Helpers of the end-to-end tests (excluded from the build): the production build of the
 * playground, served by Vite's static preview server as any static host would, and a headless
 * Chromium (Debian's, driven by playwright-core) with the software WebGPU adapter enabled.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, findChromium } from '@gradlab/report/browser';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';

export const appRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where screenshots go: apps/playground/test-results (ignored by git), kept as CI artifacts. */
export const resultsDir = join(appRoot, 'test-results');

/** The Chromium to drive, or null (the tests then skip, saying why). */
export function chromiumPath(): string | null {
  try {
    return findChromium();
  } catch {
    return null;
  }
}

/**
 * Builds the site into a fresh temporary directory (never into dist/, which a concurrent
 * `turbo run build` may be writing), or reuses GRADLAB_PLAYGROUND_DIST when it is set.
 */
export async function buildSite(): Promise<{ dir: string; dispose(): Promise<void> }> {
  const reuse = process.env.GRADLAB_PLAYGROUND_DIST;
  if (reuse) return { dir: reuse, dispose: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'gradlab-playground-dist-'));
  await build({
    root: appRoot,
    configFile: join(appRoot, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export async function serveSite(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = await preview({
    root: appRoot,
    configFile: join(appRoot, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server gave no URL');
  return { url, close: () => server.close() };
}

export async function launchChromium(
  executablePath: string,
  o: { webgpu?: boolean } = {},
): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const profile = await mkdtemp(join(tmpdir(), 'gradlab-playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    // Without it Chromium offers no WebGPU adapter on a machine without a GPU (it blocklists
    // CPU adapters); with it, SwiftShader's.
    args: [...CHROMIUM_ARGS, ...(o.webgpu === false ? [] : ['--enable-unsafe-webgpu'])],
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Every console error and uncaught exception of a page, as text. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/**
 * Opens the page with a fragment and waits until it has probed the backends. `errors` collects
 * console errors, uncaught exceptions and any request that leaves the site's origin (the site
 * must work with no network).
 */
export async function openPlayground(
  context: BrowserContext,
  url: string,
  fragment = '',
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const origin = new URL(url).origin;
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) {
      errors.push(`request outside the site: ${u}`);
    }
  });
  await page.goto(`${url}${fragment}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return { page, errors };
}

/** Presses Run (or a key) and waits for the page's count of finished runs to go up. */
export async function runAndWait(
  page: Page,
  start: () => Promise<void> = () => page.click('[data-action="run"]'),
): Promise<void> {
  const before = Number((await page.getAttribute('body', 'data-runs')) ?? 0);
  await start();
  await page.waitForSelector(`body[data-runs="${before + 1}"]`, { timeout: 120_000 });
}

/** Waits until the charts have drawn the latest record. */
export async function chartsDrawn(page: Page): Promise<void> {
  await page.waitForSelector('body[data-charts="idle"]', { timeout: 60_000 });
}

/** The per-layer table: each layer's exact gradient norm and verdict, from its data attributes. */
export async function layerRows(
  page: Page,
): Promise<{ layer: string; gradNorm: number; verdict: string }[]> {
  return page.$$eval('#layer-table tbody tr', (rows) =>
    rows.map((r) => ({
      layer: (r as HTMLElement).dataset.layer ?? '',
      gradNorm: Number((r as HTMLElement).dataset.gradNorm),
      verdict: (r as HTMLElement).dataset.verdict ?? '',
    })),
  );
}
