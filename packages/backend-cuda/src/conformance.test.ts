import { cpuBackend } from '@gradlab/backend-cpu';
import { describeBackendConformance } from '@gradlab/testkit';
import { cudaBackend, tfjsNodeBackend } from './index.js';

// The real adapters, with their real loaders. Where @tensorflow/tfjs-node-gpu loads and
// TensorFlow finds a GPU (or @tensorflow/tfjs-node loads), the whole kit runs against the CPU
// oracle; elsewhere (this repository's default install has neither package) every test but
// 'probe/unavailable' is skipped, with the probe's reason in its name.
describeBackendConformance({ adapter: cudaBackend, oracle: cpuBackend });
describeBackendConformance({ adapter: tfjsNodeBackend, oracle: cpuBackend });
