import { cpuBackend } from '@gradlab/backend-cpu';
import { describeBackendConformance } from '@gradlab/testkit';
import { cpuCloneBackend } from './index.js';

describeBackendConformance({ adapter: cpuCloneBackend, oracle: cpuBackend });
