import { describeBackendConformance } from '@gradlab/testkit';
import { cpuCloneBackend } from './index.js';

describeBackendConformance({ adapter: cpuCloneBackend });
