import { cpuBackend } from '@gradlab/backend-cpu';
import { describeBackendConformance } from '@gradlab/testkit';
import { createCudaBackend } from './index.js';
import { fakeTfjsNode } from './test-fake-tfjs-node.js';

// The cuda adapter over a stand-in tfjs-node-gpu module (tfjs's CPU kernels registered as the
// "tensorflow" backend, reporting a GPU): the adapter's own plumbing (probe that leaves tfjs as
// it found it, activate, release, re-activate, the registry) through the whole kit.
describeBackendConformance({
  oracle: cpuBackend,
  adapter: createCudaBackend({
    load: fakeTfjsNode({ gpu: true }).load,
    gpuName: async () => 'NVIDIA Stand-in 80GB',
  }),
});
