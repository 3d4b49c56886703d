import { readdirSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * One vitest config for the whole monorepo, one project per package. Tests import workspace
 * packages through the "@gradlab/source" export condition, so they run against the TypeScript
 * sources and need no build (the CLI's end-to-end tests run its built bin).
 */
const folders = ['packages', 'apps', 'tests'].flatMap((root) =>
  readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${root}/${d.name}`),
);

export default defineConfig({
  resolve: { conditions: ['@gradlab/source'] },
  ssr: { resolve: { conditions: ['@gradlab/source'] } },
  test: {
    // The JSON report lets .ci/run print a one-line tally of the whole suite.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      ...folders.map((root) => ({
        extends: true,
        test: {
          name: root.split('/')[1] as string,
          root,
          include: ['src/**/*.test.ts'],
          // *.browser.test.ts run in Chromium, in a project of their own (below).
          exclude: [...configDefaults.exclude, 'src/**/*.browser.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      })),
      // The playground's WebGL adapter and the conformance kit, in Chromium (vitest's browser mode).
      'apps/playground/vitest.browser.config.ts',
    ],
  },
});
