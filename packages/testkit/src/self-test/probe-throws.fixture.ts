// A probe that throws: the suite skips (the registry counts it unavailable) but 'adapter/probe'
// runs and fails, since probe() must never throw.

import { describeBackendConformance } from '../index.js';
import { cpuCopy } from './fakes.js';
import { cpuOracle } from './oracle.js';

describeBackendConformance({
  oracle: cpuOracle,
  adapter: cpuCopy('throwing-probe', {
    probe: async () => {
      throw new Error('the probe blew up');
    },
  }),
});
