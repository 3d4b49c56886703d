import { describeBackendSoak } from '@gradlab/testkit';
import { cpuBackend } from './index.js';

describeBackendSoak({ adapter: cpuBackend });
