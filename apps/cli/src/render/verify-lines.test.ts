import type { StudyVerification } from '@gradlab/experiments';
import { describe, expect, it } from 'vitest';
import { claimLead, verificationLines } from './verify-lines.js';

const verification = {
  name: 'he-init',
  title: 'He et al. (2015)',
  reference: 'He, Zhang, Ren & Sun (2015), Delving deep into rectifiers, ICCV.',
  status: 'complete',
  pass: false,
  seconds: 7.1,
  checks: [
    {
      id: 'he-trains',
      claim: 'The deep ReLU net with He initialisation trains: its loss falls clearly.',
      pass: true,
      measured: 'loss fell by 32.4%',
      expected: 'at least 10.0%',
    },
    {
      id: 'no-stop',
      claim: 'Newton reaches the minimum within a handful of iterations',
      pass: false,
      measured: '20 iterations',
      expected: 'fewer than 10',
    },
  ],
} as unknown as StudyVerification;

describe('verificationLines', () => {
  it('one line per check: the claim without its full stop, then what was measured and expected', () => {
    const lines = verificationLines(verification, false);
    expect(lines).toContain(
      '  PASS  The deep ReLU net with He initialisation trains: its loss falls clearly: measured loss fell by 32.4%; expected at least 10.0%',
    );
    expect(lines).toContain(
      '  FAIL  Newton reaches the minimum within a handful of iterations: measured 20 iterations; expected fewer than 10',
    );
    expect(lines.join('\n')).not.toContain('.:');
    expect(lines.at(-1)).toBe('  => FAIL: 1 of 2 checks passed in 7.1 s');
  });

  it('claimLead drops only a final full stop', () => {
    expect(claimLead('x = 1.5 per layer.')).toBe('x = 1.5 per layer');
    expect(claimLead('keeps 1.5')).toBe('keeps 1.5');
  });
});
