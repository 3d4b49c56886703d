/**
 * The conformance kit for the playground's WebGL adapter, in Chromium (vitest's browser mode,
 * apps/playground/vitest.browser.config.ts): the same tests every Node backend passes, against
 * the CPU oracle running in the same page. Where no Chromium is found the config runs this file
 * in Node, where it skips, and says why.
 */
import { cpuBackend } from '@gradlab/backend-cpu';
import { describeBackendConformance } from '@gradlab/testkit';
import { describe, test } from 'vitest';
import { webglBackend } from './webgl.js';

if (typeof document !== 'undefined') {
  describeBackendConformance({ adapter: webglBackend, oracle: cpuBackend });
} else {
  const reason =
    'no Chromium found (apt-get install chromium, or set GRADLAB_CHROMIUM to its binary)';
  console.warn(`webgl.browser.test.ts: skipping the WebGL conformance tests: ${reason}`);
  describe.skip(`conformance: webgl (skipped: ${reason})`, () => {
    test('the conformance kit in Chromium', () => {});
  });
}
