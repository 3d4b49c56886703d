import { cpuBackend } from '@gradlab/backend-cpu';
import { describeBackendConformance } from '@gradlab/testkit';
import { blasBackend } from './index.js';

describeBackendConformance({ adapter: blasBackend, oracle: cpuBackend });
