import { describeBackendSoak } from '@gradlab/testkit';
import { wasmBackend } from './index.js';

describeBackendSoak({ adapter: wasmBackend });
