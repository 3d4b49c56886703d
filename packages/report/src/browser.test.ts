import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isGradlabError } from '@gradlab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium, renderHtmlToPng, withChromium } from './browser.js';
import { renderRunReport } from './html.js';
import { tinyRecord } from './test-support.js';

// The browser tests drive a real headless Chromium; CI installs it (.ci/run), elsewhere they skip.
let chromiumPath: string | null = null;
try {
  chromiumPath = findChromium();
} catch {}
if (!chromiumPath) {
  console.warn(
    'browser.test.ts: skipping the headless-Chromium tests: no Chromium at /usr/bin/chromium or on PATH (Debian: apt-get install chromium)',
  );
}
const withBrowser = chromiumPath ? it : it.skip;

/** The screenshot the suite leaves behind as an artifact, beside test-results/vitest.json. */
const screenshot = fileURLToPath(
  new URL('../../../test-results/report-screenshot.png', import.meta.url),
);

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

let htmlPath: string;
beforeAll(async () => {
  const html = await renderRunReport(await tinyRecord());
  htmlPath = join(mkdtempSync(join(tmpdir(), 'gradlab-browser-')), 'report.html');
  writeFileSync(htmlPath, html);
});

describe('report.html in headless Chromium', () => {
  withBrowser(
    'loads without console errors or failed requests, and every chart has a real size',
    async () => {
      const problems: string[] = [];
      const boxes = await withChromium(async (context) => {
        const page = context.pages()[0] ?? (await context.newPage());
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        page.on('requestfailed', (r) =>
          problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`),
        );
        await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
        const charts = page.locator('figure > svg');
        const found = await charts.count();
        const sizes = [];
        for (let i = 0; i < found; i++) sizes.push(await charts.nth(i).boundingBox());
        expect(await page.locator('figure .error').count()).toBe(0);
        mkdirSync(dirname(screenshot), { recursive: true });
        await page.screenshot({ path: screenshot, fullPage: true });
        return sizes;
      });
      expect(problems).toEqual([]);
      const svgs = readFileSync(htmlPath, 'utf8').match(/<svg/g) ?? [];
      expect(boxes.length).toBeGreaterThanOrEqual(3);
      expect(boxes).toHaveLength(svgs.length);
      for (const box of boxes) {
        expect(box).not.toBeNull();
        expect(box?.width).toBeGreaterThan(50);
        expect(box?.height).toBeGreaterThan(50);
      }
      const { width, height } = pngSize(readFileSync(screenshot));
      expect(width).toBe(1200);
      expect(height).toBeGreaterThan(800);
    },
  );

  withBrowser('renderHtmlToPng writes a full-page PNG of the requested width', async () => {
    const out = join(dirname(htmlPath), 'report.png');
    expect(await renderHtmlToPng(htmlPath, out, { width: 900 })).toBe(out);
    const { width, height } = pngSize(readFileSync(out));
    expect(width).toBe(900);
    expect(height).toBeGreaterThan(600);
  });
});

describe('finding Chromium', () => {
  it('a GRADLAB_CHROMIUM that is not an executable is a GradlabError saying how to install one', () => {
    let error: unknown;
    try {
      findChromium({ GRADLAB_CHROMIUM: '/nonexistent/chromium', PATH: '' });
    } catch (e) {
      error = e;
    }
    expect(isGradlabError(error)).toBe(true);
    expect(isGradlabError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect(String((error as Error).message)).toMatch(/\/nonexistent\/chromium/);
    expect(String((error as Error).message)).toMatch(/apt-get install chromium/);
  });

  it('renderHtmlToPng refuses a bad width before starting a browser', async () => {
    await expect(renderHtmlToPng('x.html', 'x.png', { width: 0 })).rejects.toThrow(/width/);
  });
});
