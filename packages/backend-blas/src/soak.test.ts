import { describeBackendSoak } from '@gradlab/testkit';
import { blasBackend } from './index.js';

// CI builds the addon and sets GRADLAB_BLAS_REQUIRED=1: there a missing addon fails the soak.
describeBackendSoak({ adapter: blasBackend, required: process.env.GRADLAB_BLAS_REQUIRED === '1' });
