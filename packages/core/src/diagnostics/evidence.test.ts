import { describe, expect, test } from 'vitest';
import { explainVerdict, judgeStep, verdictPoints } from './evidence.js';
import type { LayerDiagnostics, SignalProfile, StepDiagnostics } from './types.js';
import { DEFAULT_THRESHOLDS as T } from './verdict.js';

/** A healthy hidden layer; `over` changes what a test is about. */
const layer = (name: string, over: Partial<LayerDiagnostics> = {}): LayerDiagnostics => ({
  name,
  gradNorm: 0.1,
  biasGradNorm: 0.01,
  weightNorm: 10,
  gradToWeight: 0.01,
  ratioToLast: 1,
  updateToWeight: 1e-4,
  activationMean: 0.1,
  activationStd: 0.5,
  saturation: 0,
  deadFraction: 0,
  nonFinite: 0,
  verdict: 'healthy',
  ...over,
});

const net = (...over: Partial<LayerDiagnostics>[]) => over.map((o, i) => layer(`dense${i + 1}`, o));

const signal = (ratio: number): SignalProfile => ({
  labels: ['dense1', 'dense2', 'dense3'],
  norms: [ratio, 0.5, 1],
  ratioFirstToLast: ratio,
  verdict:
    ratio < T.vanishingRatio ? 'vanishing' : ratio > T.explodingRatio ? 'exploding' : 'healthy',
});

const judge = (layers: LayerDiagnostics[], s: SignalProfile | null = null, loss = 1) =>
  judgeStep(layers, s, loss, T, { signalUnit: 'layers', skipConnections: false });

describe('judgeStep: each kind of evidence on its own', () => {
  test('all healthy: no evidence', () => {
    expect(judge(net({}, {}, {}), signal(0.5))).toEqual({ verdict: 'healthy', evidence: [] });
  });

  test('weight gradients: the most extreme layer is named', () => {
    const r = judge(
      net(
        { gradNorm: 1e-12, ratioToLast: 1e-11, verdict: 'vanishing' },
        { gradNorm: 1e-6, ratioToLast: 1e-5, verdict: 'vanishing' },
        {},
      ),
    );
    expect(r.verdict).toBe('vanishing');
    expect(r.evidence[0]).toMatchObject({
      source: 'weight-gradient',
      layer: 'dense1',
      value: 1e-12,
    });
    expect(r.evidence[0]?.summary).toBe(
      "weight gradient of dense1 1.0e-12, 1.0e-11 of the last layer's (2 of 3 layers)",
    );
  });

  test('backward signal: vanishing or exploding on its own, and not at the boundary', () => {
    expect(judge(net({}, {}), signal(6e-5)).evidence).toMatchObject([
      { verdict: 'vanishing', source: 'backward-signal', value: 6e-5 },
    ]);
    expect(judge(net({}, {}), signal(5e3)).verdict).toBe('exploding');
    expect(judge(net({}, {}), signal(2e-3)).verdict).toBe('healthy');
  });

  test('forward activations: the deepest hidden layer against the first', () => {
    const collapse = judge(
      net({ activationStd: 1 }, { activationStd: 0.01 }, { activationStd: 5e-5 }),
    );
    expect(collapse.evidence).toMatchObject([
      { verdict: 'vanishing', source: 'forward-activations', layer: 'dense3', value: 5e-5 },
    ]);
    expect(judge(net({ activationStd: 1e-3 }, { activationStd: 2 })).verdict).toBe('exploding');
    expect(judge(net({ activationStd: 1 }, { activationStd: 2e-3 })).verdict).toBe('healthy');
    // Not measured (norms-only steps) or no spread at the first layer: no evidence.
    expect(judge(net({ activationStd: null }, { activationStd: null })).verdict).toBe('healthy');
    expect(judge(net({ activationStd: 0 }, { activationStd: 1e-9 })).verdict).toBe('healthy');
    expect(judge(net({ activationStd: 1 }, { activationStd: Number.NaN })).verdict).toBe(
      'non-finite',
    );
  });

  test('gradient/weight ratio: below float32 resolution, or above 1e3', () => {
    expect(judge(net({ gradToWeight: 5e-8 }, {})).evidence).toMatchObject([
      { verdict: 'vanishing', source: 'grad-to-weight', layer: 'dense1' },
    ]);
    expect(judge(net({ gradToWeight: 2e-7 }, {})).verdict).toBe('healthy');
    expect(judge(net({}, { gradToWeight: 5e3 })).verdict).toBe('exploding');
    // A zero-initialised layer has no ratio worth judging (its weight norm is 0).
    expect(judge(net({ weightNorm: 0, gradToWeight: Number.POSITIVE_INFINITY }, {})).verdict).toBe(
      'healthy',
    );
  });

  test('dead and saturated units: at the threshold fraction and above', () => {
    const dead = judge(net({ deadFraction: 0.5 }, { deadFraction: 0.7 }));
    expect(dead.evidence).toMatchObject([
      { verdict: 'vanishing', source: 'dead-units', layer: 'dense2' },
    ]);
    expect(dead.evidence[0]?.summary).toBe("70% of dense2's units dead (2 layers at 50% or more)");
    expect(judge(net({ deadFraction: 0.49 })).verdict).toBe('healthy');
    expect(judge(net({ saturation: 0.9 })).evidence).toMatchObject([{ source: 'saturation' }]);
    expect(judge(net({ saturation: 0.2 })).verdict).toBe('healthy');
    // Skip connections carry the gradient past dead or saturated units.
    const skips = { signalUnit: 'layers', skipConnections: true } as const;
    expect(
      judgeStep(net({ deadFraction: 0.95 }, { saturation: 0.95 }), null, 1, T, skips).verdict,
    ).toBe('healthy');
  });

  test('a non-finite loss, and the worst verdict first', () => {
    const r = judge(
      net({ gradNorm: 1e-12, ratioToLast: 1e-11, verdict: 'vanishing' }, {}),
      null,
      Number.NaN,
    );
    expect(r.verdict).toBe('non-finite');
    expect(r.evidence.map((e) => e.source)).toEqual(['loss', 'weight-gradient']);
    expect(explainVerdict(r.verdict, r.evidence)).toBe('non-finite (the loss is NaN)');
  });

  test('explainVerdict lists the decisive evidence only', () => {
    const r = judge(
      net({ activationStd: 1 }, { activationStd: 1e-5, gradToWeight: 5e3 }),
      signal(1e-4),
    );
    expect(r.verdict).toBe('exploding');
    expect(explainVerdict(r.verdict, r.evidence)).toMatch(
      /^exploding \(\|\|dL\/dW\|\|\/\|\|W\|\| of dense2 5\.0e3/,
    );
    expect(explainVerdict('healthy', [])).toBe('healthy');
  });
});

describe('verdictPoints', () => {
  const step = (full: boolean, over: Partial<StepDiagnostics> = {}): StepDiagnostics => {
    const layers = net({}, {});
    return {
      step: 1,
      full,
      loss: 1,
      accuracy: null,
      globalGradNorm: 1,
      layers,
      signal: full ? signal(1e-5) : null,
      telemetry: {},
      ...judge(layers, full ? signal(1e-5) : null),
      ...over,
    };
  };

  test('full steps judge every source; norms-only steps only what they measured', () => {
    expect(verdictPoints(step(true)).map(([p, v]) => `${p}:${v}`)).toEqual([
      'dense1:healthy',
      'dense2:healthy',
      'signal:vanishing',
      'activations:healthy',
      'grad/weight:healthy',
      'dead units:healthy',
      'saturation:healthy',
    ]);
    expect(verdictPoints(step(false)).map(([p]) => p)).toEqual(['dense1', 'dense2']);
  });
});
