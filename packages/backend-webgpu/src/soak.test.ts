import { describeBackendSoak } from '@gradlab/testkit';
import { webgpuBackend } from './index.js';

// Skipped, with the probe's reason printed, where no WebGPU adapter is found. Where CI finds
// one it is Mesa's llvmpipe, about 180 ms a step: 1,000 steps would take 3 minutes, so a
// shorter soak (still 150 steps past the warm-up).
describeBackendSoak({ adapter: webgpuBackend, steps: 200, warmupSteps: 50 });
