import cliProgress from 'cli-progress';
import { describe, expect, it } from 'vitest';
import { formatEta, NO_ETA } from './eta.js';

// What cli-progress passes once its options are filled in: no padding unless asked for.
const options = { autopaddingChar: '' } as cliProgress.Options;

describe('formatEta', () => {
  it('reads "--" where cli-progress has no estimate (its own format prints "NFs", "LLs", "0s")', () => {
    // cli-progress's ETA is a string until it can extrapolate: '0' before the first update,
    // 'INF' while nothing has moved, 'NULL' when no time has passed.
    for (const t of ['INF', 'NULL', '0', Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatEta(t as number, options, 5), String(t)).toBe(NO_ETA);
    }
    expect(cliProgress.Format.TimeFormat('INF' as unknown as number, options, 5)).toBe('NFs');
  });

  it('formats seconds as cli-progress does', () => {
    expect(formatEta(0, options, 5)).toBe('0s');
    expect(formatEta(7, options, 5)).toBe('7s');
    expect(formatEta(125, options, 5)).toBe('2m5s');
    expect(formatEta(7500, options, 5)).toBe('2h5m');
  });
});
