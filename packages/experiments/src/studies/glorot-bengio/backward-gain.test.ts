import type { LayerDiagnostics, StepDiagnostics } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { backwardGains } from './backward-gain.js';

function layer(mean: number | null, std: number | null): LayerDiagnostics {
  return {
    name: 'dense',
    gradNorm: 1,
    biasGradNorm: null,
    weightNorm: null,
    gradToWeight: null,
    ratioToLast: 1,
    updateToWeight: null,
    activationMean: mean,
    activationStd: std,
    saturation: null,
    deadFraction: null,
    nonFinite: 0,
    verdict: 'healthy',
  };
}

function step(norms: number[] | null, moments: [number | null, number | null][]): StepDiagnostics {
  return {
    step: 1,
    full: true,
    loss: 1,
    accuracy: null,
    globalGradNorm: 1,
    layers: [...moments.map(([m, s]) => layer(m, s)), layer(null, null)],
    signal: norms
      ? { labels: norms.map((_, i) => `dense${i}`), norms, ratioFirstToLast: 1, verdict: 'healthy' }
      : null,
    telemetry: {},
    verdict: 'healthy',
    evidence: [],
  };
}

/** E[tanh'(sqrt(q) z)^2], z ~ N(0, 1), by the trapezoid rule: independent of the theory's quadrature. */
function tanhSlopeSquared(q: number): number {
  let sum = 0;
  const h = 1e-3;
  for (let z = -10; z <= 10; z += h) {
    const t = Math.tanh(Math.sqrt(q) * z);
    sum += (1 - t * t) ** 2 * Math.exp((-z * z) / 2);
  }
  return (sum * h) / Math.sqrt(2 * Math.PI);
}

describe('backwardGains', () => {
  it('linear layers: measured squared norm ratios against n Var(W), q from the layer below', () => {
    // Width 10, W ~ N(0, 0.1^2): n Var(W) = 0.1; E[phi'^2] = 1 for the identity.
    const gains = backwardGains(
      step(
        [8, 4, 1],
        [
          [0.5, 1],
          [0, 2],
          [3, 0],
        ],
      ),
      { activation: 'linear', width: 10, init: () => ({ kind: 'normal', std: 0.1 }) },
    );
    expect(gains).toHaveLength(2);
    expect(gains[0]).toMatchObject({ layer: 2, measured: 4 });
    expect(gains[0]?.predicted).toBeCloseTo(0.1, 12);
    expect(gains[0]?.q).toBeCloseTo(0.1 * 1.25, 12);
    expect(gains[1]).toMatchObject({ layer: 3, measured: 16 });
    expect(gains[1]?.q).toBeCloseTo(0.1 * 4, 12);
  });

  it("tanh with Xavier: E[tanh'^2] at the pre-activation variance the layer below gives", () => {
    // Width 100, Xavier: n Var(W) = 1, so q = E[h^2] = 0.3^2 + 0.4^2 = 0.25.
    const [gain] = backwardGains(
      step(
        [1, 1],
        [
          [0.3, 0.4],
          [0, 1],
        ],
      ),
      { activation: 'tanh', width: 100, init: () => 'xavier-normal' },
    );
    expect(gain?.q).toBeCloseTo(0.25, 12);
    expect(gain?.predicted).toBeCloseTo(tanhSlopeSquared(0.25), 6);
    // Well below 1: tanh's slope is under 1 off 0.
    expect(gain?.predicted).toBeLessThan(0.8);
  });

  it('uses each layer its own initialiser', () => {
    const gains = backwardGains(
      step(
        [1, 1, 1],
        [
          [0, 1],
          [0, 1],
          [0, 1],
        ],
      ),
      {
        activation: 'linear',
        width: 4,
        init: (l) => ({ kind: 'uniform', limit: l }),
      },
    );
    // U(-L, L): Var = L^2 / 3, times n = 4.
    expect(gains.map((g) => g.predicted)).toEqual(
      [4 / 3, 16 / 3].map((x) => expect.closeTo(x, 12)),
    );
  });

  it('refuses a step without the signal or without activation statistics', () => {
    const net = { activation: 'tanh' as const, width: 4, init: () => 'xavier-normal' as const };
    expect(() => backwardGains(step(null, [[0, 1]]), net)).toThrow(
      /measured no backpropagated signal/,
    );
    expect(() =>
      backwardGains(
        step(
          [1, 1],
          [
            [null, null],
            [0, 1],
          ],
        ),
        net,
      ),
    ).toThrow(/no activation statistics for hidden layer 1/);
  });
});
