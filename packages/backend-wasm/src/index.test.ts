import { cpuBackend } from '@gradlab/backend-cpu';
import { describeBackendConformance } from '@gradlab/testkit';
import { wasmBackend } from './index.js';

describeBackendConformance({ adapter: wasmBackend, oracle: cpuBackend });
