import { GradlabError } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { listPresets, presetSpec } from './index.js';

describe('presets', () => {
  it('every preset is a valid spec named after itself, with a claim', () => {
    for (const p of listPresets()) {
      const spec = presetSpec(p.name);
      expect(spec.name).toBe(p.name);
      expect(p.claim.length).toBeGreaterThan(40);
    }
  });

  it('names are unique', () => {
    const names = listPresets().map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('the reference workload is the 20-layer ReLU MLP of width 256, batch 128, on MNIST', () => {
    const spec = presetSpec('reference');
    expect(spec.model).toMatchObject({
      kind: 'mlp',
      depth: 20,
      width: 256,
      activation: 'relu',
      init: 'he-normal',
    });
    expect(spec.training.batchSize).toBe(128);
    expect(spec.data.kind).toBe('mnist');
  });

  it('its bad twin differs only in activation and initialisation', () => {
    const good = presetSpec('reference');
    const bad = presetSpec('reference-sigmoid');
    expect(bad.model).toMatchObject({ activation: 'sigmoid', init: { kind: 'normal', std: 0.01 } });
    expect({
      ...bad.model,
      activation: good.model.kind === 'mlp' ? good.model.activation : '',
      init: 'he-normal',
    }).toEqual(good.model);
    expect(bad.training).toEqual(good.training);
    expect(bad.data).toEqual(good.data);
  });

  it('an unknown name is an UNKNOWN_PRESET error listing the known names', () => {
    try {
      presetSpec('nope');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GradlabError);
      expect((e as GradlabError).code).toBe('UNKNOWN_PRESET');
      expect((e as Error).message).toContain('reference-sigmoid');
    }
  });

  it('a typo of a preset says which one was meant; an unrelated name does not guess', () => {
    expect(() => presetSpec('tinny')).toThrow(
      'there is no preset named "tinny". Did you mean "tiny"?',
    );
    expect(() => presetSpec('refrence-sigmoid')).toThrow('Did you mean "reference-sigmoid"?');
    expect(() => presetSpec('nope')).not.toThrow(/Did you mean/);
  });
});

describe('studies', () => {
  it('every study declares its checks, each with what it measures, its tolerance and a counterfactual', async () => {
    const { studies } = await import('./index.js');
    const missing: string[] = [];
    for (const s of studies) {
      if (!s.checks || s.checks.length === 0) missing.push(`${s.name}: no declared checks`);
      for (const c of s.checks ?? []) {
        if (!c.measures) missing.push(`${s.name}/${c.id}: no 'measures'`);
        if (!c.tolerance) missing.push(`${s.name}/${c.id}: no 'tolerance'`);
        if (!c.counterfactuals || c.counterfactuals.length === 0) {
          missing.push(`${s.name}/${c.id}: no counterfactual`);
        }
      }
    }
    expect(studies.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
