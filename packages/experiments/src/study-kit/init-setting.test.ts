import { describe, expect, test } from 'vitest';
import { checkInitSetting, initLabel } from './init-setting.js';

describe('initialiser settings', () => {
  test('a valid initialiser comes back as given', () => {
    expect(checkInitSetting('s', 'init', 'orthogonal')).toBe('orthogonal');
    expect(checkInitSetting('s', 'init', { kind: 'normal', std: 0.5 })).toEqual({
      kind: 'normal',
      std: 0.5,
    });
  });

  test('a bad one is refused with the study, the field, the value and what is allowed', () => {
    expect(() => checkInitSetting('deep-linear', 'gaussianInit', 'gaussian')).toThrow(
      /deep-linear setting gaussianInit is "gaussian"; expected an initialiser: one of .*lecun-normal.*"std": > 0/,
    );
    expect(() =>
      checkInitSetting('deep-linear', 'gaussianInit', { kind: 'normal', std: -1 }),
    ).toThrow(/deep-linear setting gaussianInit\.std is -1; .*>0/);
  });

  test('labels name the kind and any parameter', () => {
    expect(initLabel('he-normal')).toBe('he-normal');
    expect(initLabel({ kind: 'orthogonal' })).toBe('orthogonal');
    expect(initLabel({ kind: 'orthogonal', gain: 1.01 })).toBe('orthogonal(gain=1.01)');
    expect(initLabel({ kind: 'normal', std: 1 / Math.sqrt(8) })).toBe('normal(std=0.3536)');
  });
});
