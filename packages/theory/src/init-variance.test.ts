import { describe, expect, test } from 'vitest';
import { activationFunctions } from './activations.js';
import {
  glorotVariance,
  glorotVariances,
  heVariance,
  initVariance,
  lecunVariance,
  uniformLimit,
  varianceGain,
} from './init-variance.js';
import { TheoryArgumentError } from './invalid-argument.js';
import { seededNormals } from './test-random.js';

describe('initialisation variances', () => {
  test('Glorot & Bengio (2010): 1/fanIn forward, 1/fanOut backward, 2/(fanIn + fanOut), limit sqrt(6/(fanIn + fanOut))', () => {
    expect(glorotVariances(300, 100)).toEqual({
      forward: 1 / 300,
      backward: 1 / 100,
      compromise: 2 / 400,
      uniformLimit: Math.sqrt(6 / 400),
    });
    expect(glorotVariance(300, 100)).toBe(0.005);
    // The uniform limit has the compromise variance: L^2 / 3.
    expect(uniformLimit(glorotVariance(300, 100))).toBeCloseTo(
      glorotVariances(300, 100).uniformLimit,
      15,
    );
  });

  test('He et al. (2015): 2/fanIn, and 2/((1 + a^2) fanIn) for a leaky slope a; LeCun: 1/fanIn', () => {
    expect(heVariance(256)).toBe(2 / 256);
    expect(heVariance(256, 0.25)).toBeCloseTo(2 / (1.0625 * 256), 16);
    expect(lecunVariance(50)).toBe(0.02);
  });

  test('initVariance follows gradlab initialiser names', () => {
    expect(initVariance('xavier-uniform', 30, 10)).toBe(0.05);
    expect(initVariance('he-normal', 30, 10, 0.1)).toBeCloseTo(2 / (1.01 * 30), 15);
    expect(initVariance('lecun-uniform', 30, 10)).toBeCloseTo(1 / 30, 15);
    expect(initVariance('orthogonal', 30, 10)).toBeCloseTo(1 / 30, 15);
    expect(initVariance('orthogonal', 10, 30)).toBeCloseTo(1 / 30, 15);
    expect(initVariance({ kind: 'normal', std: 0.01 }, 30, 10)).toBeCloseTo(1e-4, 18);
    expect(initVariance({ kind: 'uniform', limit: 0.3 }, 30, 10)).toBeCloseTo(0.03, 16);
  });

  test('bad fans, slopes and initialisers are refused, naming the field', () => {
    expect(() => heVariance(0)).toThrow(/fanIn is 0; expected a positive integer/);
    expect(() => glorotVariance(10, 2.5)).toThrow(/fanOut is 2.5/);
    expect(() => heVariance(10, -1)).toThrow(/negativeSlope is -1/);
    expect(() => initVariance('zeros' as never, 3, 3)).toThrow(
      /init is zeros; expected xavier-normal/,
    );
    expect(() => initVariance({ kind: 'normal', std: -1 }, 3, 3)).toThrow(TheoryArgumentError);
    expect(() => varianceGain('relu', 'he-normal', { fanIn: 4, fanOut: 4, q: 0 })).toThrow(
      /q is 0/,
    );
  });
});

describe('varianceGain', () => {
  test('He + ReLU keeps both directions at 1 for square layers; Glorot + linear at 1 when fanIn = fanOut', () => {
    const he = varianceGain('relu', 'he-normal', { fanIn: 128, fanOut: 128 });
    expect(he.forward).toBeCloseTo(1, 15);
    expect(he.backward).toBeCloseTo(1, 15);
    const glorot = varianceGain('linear', 'xavier-normal', { fanIn: 64, fanOut: 64 });
    expect(glorot).toMatchObject({ forward: 1, backward: 1 });
    // Unequal fans: Glorot's compromise splits the difference.
    const wide = varianceGain('linear', 'xavier-normal', { fanIn: 100, fanOut: 300 });
    expect(wide.forward).toBeCloseTo(0.5, 15);
    expect(wide.backward).toBeCloseTo(1.5, 15);
  });

  test('LeCun + SELU keeps unit variance at q = 1 (Klambauer et al. 2017); leaky He with its slope', () => {
    expect(varianceGain('selu', 'lecun-normal', { fanIn: 10, fanOut: 10 }).forward).toBeCloseTo(
      1,
      9,
    );
    const leaky = varianceGain('prelu', 'he-normal', {
      fanIn: 10,
      fanOut: 10,
      negativeSlope: 0.25,
    });
    expect(leaky.forward).toBeCloseTo(1, 14);
  });

  test('a sampled tanh layer has the predicted forward and backward gains', () => {
    const fanIn = 200;
    const fanOut = 150;
    const samples = 200;
    const q = 0.7;
    const rng = seededNormals(7);
    const std = Math.sqrt(glorotVariance(fanIn, fanOut));
    const w = Float64Array.from({ length: fanIn * fanOut }, () => std * rng.normal());
    const { phi, dphi } = activationFunctions('tanh');
    let forward = 0;
    let backward = 0;
    for (let s = 0; s < samples; s++) {
      const h = Float64Array.from({ length: fanIn }, () => Math.sqrt(q) * rng.normal());
      const delta = Float64Array.from({ length: fanOut }, () => rng.normal());
      for (let j = 0; j < fanOut; j++) {
        let out = 0;
        for (let i = 0; i < fanIn; i++) out += (w[i * fanOut + j] as number) * phi(h[i] as number);
        forward += out * out;
      }
      for (let i = 0; i < fanIn; i++) {
        let back = 0;
        for (let j = 0; j < fanOut; j++)
          back += (w[i * fanOut + j] as number) * (delta[j] as number);
        backward += (dphi(h[i] as number) * back) ** 2;
      }
    }
    const predicted = varianceGain('tanh', 'xavier-normal', { fanIn, fanOut, q });
    // 30,000 outputs and 40,000 inputs: a few percent of sampling error at most.
    expect(forward / (samples * fanOut) / q / predicted.forward).toBeCloseTo(1, 1);
    expect(backward / (samples * fanIn) / predicted.backward).toBeCloseTo(1, 1);
  });
});
