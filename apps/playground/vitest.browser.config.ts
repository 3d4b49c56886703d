import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions } from 'vite';
import { defineProject } from 'vitest/config';

/**
 * The playground's browser-only adapters (WebGL) run the conformance kit inside a real Chromium:
 * vitest's browser mode, its playwright provider driving the system's Chromium (never a browser
 * `playwright install` would download). Headless Chromium here has no GPU: WebGL draws on
 * SwiftShader, on the CPU. Files named *.browser.test.ts run here and nowhere else.
 */

/**
 * The Chromium to drive: $GRADLAB_CHROMIUM when it is set (and only it), else /usr/bin/chromium,
 * else chromium on PATH, as @gradlab/report/browser looks for it; null when there is none. (The
 * config is loaded by Node before any @gradlab/source resolution, so it reads no workspace
 * package.)
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = env.GRADLAB_CHROMIUM
    ? [env.GRADLAB_CHROMIUM]
    : [
        '/usr/bin/chromium',
        ...(env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .flatMap((dir) => [join(dir, 'chromium'), join(dir, 'chromium-browser')]),
      ];
  return (
    candidates.find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }) ?? null
  );
}

const chromium = findChromium();

export default defineProject({
  resolve: { conditions: ['@gradlab/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@gradlab/source'] } },
  test: {
    name: 'playground-browser',
    root: import.meta.dirname,
    include: ['src/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Without a Chromium the file runs in Node instead, where it skips, saying why.
    environment: 'node',
    browser: {
      enabled: chromium !== null,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          ...(chromium ? { executablePath: chromium } : {}),
          args: [
            '--no-sandbox',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            // WebGL with no GPU: SwiftShader, which Chromium no longer falls back to unasked.
            '--use-angle=swiftshader',
            '--enable-unsafe-swiftshader',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
