import { describe, expect, it } from 'vitest';
import { studies } from '../studies/index.js';
import type { Study } from '../study.js';
import { findStudy, studyNames, suggestName } from './find-study.js';

const named = (name: string): Study => ({
  name,
  title: name,
  reference: 'Nobody (2024)',
  claim: 'a claim',
  settings: { full: {}, fast: {} },
  scaleNote: 'none',
  usesBackend: false,
  run: async () => ({ checks: [], figures: [] }),
});

const catalogue = [named('rosenbrock'), named('deep-linear'), named('edge-of-chaos')];

describe('findStudy', () => {
  it('finds a study by name; names in catalogue order', () => {
    expect(findStudy('deep-linear', catalogue).name).toBe('deep-linear');
    expect(studyNames(catalogue)).toEqual(['rosenbrock', 'deep-linear', 'edge-of-chaos']);
  });

  it('an unknown name is UNKNOWN_PRESET naming it, listing the known ones, suggesting a close one', () => {
    expect(() => findStudy('deep-linaer', catalogue)).toThrow(
      'there is no study named "deep-linaer". Did you mean "deep-linear"? Known studies: rosenbrock, deep-linear, edge-of-chaos.',
    );
    try {
      findStudy('nothing-like-it', catalogue);
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('UNKNOWN_PRESET');
      expect((e as Error).message).not.toMatch(/Did you mean/);
    }
    expect(() => findStudy('x', [])).toThrow(/Known studies: none\./);
  });

  it('suggests only names a typo away', () => {
    expect(suggestName('rosenbrok', studyNames(catalogue))).toBe('rosenbrock');
    expect(suggestName('edge', studyNames(catalogue))).toBeNull();
    expect(suggestName('', studyNames(catalogue))).toBeNull();
  });
});

describe('the studies catalogue', () => {
  it('every study has a unique CLI name, a reference with a year, a claim, a scale note and both scales', () => {
    const names = studyNames();
    expect(new Set(names).size).toBe(names.length);
    for (const s of studies) {
      expect(s.name, s.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(s.reference, s.name).toMatch(/\(\d{4}[a-z]?\)/);
      for (const text of [s.title, s.claim, s.scaleNote])
        expect(text.length, s.name).toBeGreaterThan(0);
      expect(Object.keys(s.settings.fast).sort(), s.name).toEqual(
        Object.keys(s.settings.full).sort(),
      );
      const ids = (s.checks ?? []).map((c) => c.id);
      expect(new Set(ids).size, s.name).toBe(ids.length);
    }
  });
});
