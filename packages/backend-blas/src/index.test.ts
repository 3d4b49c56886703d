import { describeBackendConformance } from '@gradlab/testkit';
import { blasBackend } from './index.js';

describeBackendConformance({ adapter: blasBackend });
