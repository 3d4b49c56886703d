import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Runs the kit's self-test fixtures (*.fixture.ts), each a suite registered by the kit on a fake
 * backend, so src/index.test.ts can check which of their tests passed, failed and were
 * skipped. Started by that test, with the JSON report's path in GRADLAB_TESTKIT_SELF_TEST_OUT.
 */
export default defineConfig({
  resolve: { conditions: ['@gradlab/source'] },
  ssr: { resolve: { conditions: ['@gradlab/source'] } },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.fixture.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['json'],
    outputFile: { json: process.env.GRADLAB_TESTKIT_SELF_TEST_OUT ?? 'self-test.json' },
  },
});
