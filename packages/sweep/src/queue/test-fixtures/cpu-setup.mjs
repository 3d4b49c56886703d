// The setup module of the test workers' cell processes: the cpu backend, from the built packages.
import { cpuBackend } from '@gradlab/backend-cpu';
import { registerBackend } from '@gradlab/core';

registerBackend(cpuBackend);
