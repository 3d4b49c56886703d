// A backend whose probe says it is unavailable: the reason is printed, every test is skipped
// with the reason in its name, and 'probe/unavailable' still runs.

import { describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../index.js';
import { cpuCopy, UNAVAILABLE } from './fakes.js';
import { cpuOracle } from './oracle.js';

const warnings: string[] = [];
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  warnings.push(args.map(String).join(' '));
};

describeBackendConformance({
  oracle: cpuOracle,
  adapter: cpuCopy('missing-device', {
    probe: async () => ({ available: false, ...UNAVAILABLE }),
  }),
});

describe('self-test', () => {
  it('printed the reason and the hint once', () => {
    console.warn = warn;
    const ours = warnings.filter((w) => w.includes('missing-device'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain(UNAVAILABLE.reason);
    expect(ours[0]).toContain(UNAVAILABLE.hint);
  });
});
