import { presetSpec } from '@gradlab/experiments';
import { applyMitigations } from '@gradlab/mitigations';
import { describe, expect, test } from 'vitest';
import { inapplicableReason } from './mitigation-panel.js';

const refusal = (preset: string, token: string): string => {
  try {
    applyMitigations(presetSpec(preset), [token]);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${token} applied to ${preset}`);
};

describe('why a strategy does not apply, as the page shows it', () => {
  test("the first clause is shown; the rest is kept, so nothing of the library's reason is lost", () => {
    const message = refusal('tiny', 'lstm');
    const { short, rest } = inapplicableReason('lstm', message);
    expect(short.length).toBeGreaterThan(0);
    expect(short).not.toMatch(/does not apply here|[;.]$/);
    expect(message).toContain(short);
    expect(`${short} ${rest}`.replace(/\s+/g, ' ')).toBe(
      message.replace('lstm does not apply here: ', '').replace(/[;.] /, ' ').replace(/\s+/g, ' '),
    );
  });

  test('a clause cut at its semicolon, and a reason of one clause kept whole', () => {
    expect(
      inapplicableReason('prelu', 'prelu does not apply here: fixed cell; use an MLP'),
    ).toEqual({ short: 'fixed cell', rest: 'use an MLP' });
    expect(inapplicableReason('lstm', 'lstm does not apply here: not a recurrent net')).toEqual({
      short: 'not a recurrent net',
      rest: '',
    });
    // A full stop inside a name (e.g. a number) does not end the clause.
    expect(
      inapplicableReason('warmup', 'warmup does not apply here: lr 0.5 is too big. Lower it'),
    ).toEqual({ short: 'lr 0.5 is too big', rest: 'Lower it' });
  });
});
