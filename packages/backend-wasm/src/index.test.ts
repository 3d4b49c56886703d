import { describeBackendConformance } from '@gradlab/testkit';
import { wasmBackend } from './index.js';

describeBackendConformance({ adapter: wasmBackend });
