import { cpuBackend } from '@gradlab/backend-cpu';
import { describeBackendConformance } from '@gradlab/testkit';
import { webgpuBackend } from './index.js';
import { WEBGPU_KNOWN_GAPS } from './known-gaps.js';

// The whole conformance kit against the CPU oracle, on whatever adapter the probe finds: on a
// machine without a GPU (CI), Mesa's llvmpipe through Dawn's OpenGL ES backend. The
// adapter-specific tests are in adapter.test.ts.
describeBackendConformance({
  adapter: webgpuBackend,
  oracle: cpuBackend,
  knownGaps: WEBGPU_KNOWN_GAPS,
});
