import { describe, expect, test } from 'vitest';
import { paramText, paramValue } from './param-value.js';
import { applySpecChanges, REMOVED, specChanges } from './spec-changes.js';

describe('a spec as its changes from another', () => {
  test('changed, added and removed fields, and back', () => {
    const from = { a: 1, g: { x: 'tanh', y: [1, 2], gone: true }, old: 3 };
    const to = { a: 1, g: { x: 'relu', y: [1, 2, 3], extra: { k: 1 } } };
    const changes = specChanges(from, to);
    expect(changes).toEqual([
      ['g.x', 'relu'],
      ['g.y', [1, 2, 3]],
      ['g.extra', { k: 1 }],
      ['g.gone', REMOVED],
      ['old', REMOVED],
    ]);
    expect(applySpecChanges(from, changes)).toEqual(to);
    expect(from.g.x).toBe('tanh'); // the original is left as it was
  });

  test('each value reads back as it was written, a removal as an empty parameter', () => {
    for (const v of [
      'tanh',
      '12',
      'true',
      'null',
      '',
      'two words',
      12,
      0.1,
      true,
      null,
      [1],
      { k: 'v' },
    ]) {
      expect(paramValue(paramText(v))).toEqual(v);
    }
    expect(paramText(REMOVED)).toBe('');
    expect(paramValue('')).toBe(REMOVED);
    expect(paramText('tanh')).toBe('tanh');
  });
});
