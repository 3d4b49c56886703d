/**
 * The verdicts of the catalogue's networks at step 1, as a user sees them, with the evidence
 * that produced each. The 30-layer ReLU pair is He et al. (2015)'s: with Xavier's variance the
 * weight-gradient norms of every layer are about equal (forward shrinkage and backward
 * shrinkage cancel in h^T delta), so a verdict that looked only at them would say "healthy"
 * of a network that does not train.
 */
import { wasmBackend } from '@gradlab/backend-wasm';
import {
  decisiveEvidence,
  type ExperimentSpec,
  parseSpec,
  type RunResult,
  runExperiment,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetSpec } from './index.js';

beforeAll(async () => {
  await wasmBackend.activate();
});

async function firstStep(spec: ExperimentSpec): Promise<RunResult> {
  const before = tf.memory().numTensors;
  const result = await runExperiment(
    parseSpec({ ...spec, training: { ...spec.training, steps: 1 } }),
  );
  expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
  return result;
}

function relu30(init: 'xavier-normal' | 'he-normal'): ExperimentSpec {
  const base = presetSpec('reference');
  return parseSpec({ ...base, name: `relu30-${init}`, model: { ...base.model, depth: 30, init } });
}

const sources = (r: RunResult) =>
  new Set(decisiveEvidence(r.verdict, r.final?.evidence ?? []).map((e) => e.source));

describe('verdicts at step 1 weigh every signal', () => {
  it('30-layer ReLU with Xavier-normal: vanishing, from the signal and the activations', async () => {
    const r = await firstStep(relu30('xavier-normal'));
    expect(r.verdict).toBe('vanishing');
    // The counterfactual of the old rule: the weight gradients alone look healthy.
    expect(r.final?.layers.every((l) => l.verdict === 'healthy')).toBe(true);
    expect(sources(r)).toEqual(new Set(['backward-signal', 'forward-activations']));
    // Each layer passes about sqrt(1/2) of the signal on: (1/2)^(28/2) ~ 6e-5 over 29 layers.
    const signal = r.final?.signal?.ratioFirstToLast as number;
    expect(signal).toBeGreaterThan(1e-5);
    expect(signal).toBeLessThan(3e-4);
    expect(r.firstProblems[0]).toMatchObject({ verdict: 'vanishing', step: 1, layer: 'signal' });
  });

  it('30-layer ReLU with He-normal: healthy', async () => {
    const r = await firstStep(relu30('he-normal'));
    expect(r.verdict, JSON.stringify(r.final?.evidence)).toBe('healthy');
    expect(r.final?.evidence).toEqual([]);
  });

  it('reference: healthy', async () => {
    const r = await firstStep(presetSpec('reference'));
    expect(r.verdict, JSON.stringify(r.final?.evidence)).toBe('healthy');
  });

  for (const name of ['reference-sigmoid', 'deep-sigmoid']) {
    it(`${name}: vanishing, in the weight gradients and the signal`, async () => {
      const r = await firstStep(presetSpec(name));
      expect(r.verdict).toBe('vanishing');
      expect(sources(r)).toContain('weight-gradient');
      expect(sources(r)).toContain('backward-signal');
      // Every layer's norm is a positive measurement: nothing underflowed to a silent 0.
      for (const l of r.final?.layers ?? []) expect(l.gradNorm).toBeGreaterThan(0);
    });
  }

  it('exploding-linear: exploding', async () => {
    const r = await firstStep(presetSpec('exploding-linear'));
    expect(r.verdict).toBe('exploding');
    expect(sources(r)).toContain('weight-gradient');
  });
});
