/**
 * The oracle of the kit's own tests: a copy of tfjs's CPU kernels, the same arithmetic as
 * cpuBackend. The kit does not import @gradlab/backend-cpu, which is itself tested with the kit
 * (a workspace cycle otherwise).
 */
import { cpuCopy } from './fakes.js';

export const cpuOracle = cpuCopy('cpu-oracle');
