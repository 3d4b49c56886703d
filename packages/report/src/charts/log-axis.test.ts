import { describe, expect, it } from 'vitest';
import { syntheticRecord } from '../test-support.js';
import { renderSvg } from '../vega.js';
import { clippingSpec } from './clipping.js';
import { backendDiffSpec, comparisonFlowSpec, comparisonLossSpec } from './comparison.js';
import { gradientFlowSpec } from './gradient-flow.js';
import { learningRateSpec } from './learning-rate.js';
import { LOG_AXIS_FORMAT, logScaleFormats } from './log-axis.js';
import { lossSpec } from './loss.js';
import { signalSpec } from './signal.js';
import { studyFigureSpec } from './study-figure.js';

/** A record whose loss falls 1,000-fold: the loss charts take a log scale. */
function fallingLoss() {
  const record = syntheticRecord({ steps: 10 });
  for (const m of record.metrics) (m as { loss: number }).loss = 10 ** (1 - m.step / 3);
  return record;
}

/** Every chart that draws a log scale, built so that it does. */
function logCharts(): Record<string, unknown> {
  const clipped = syntheticRecord({
    steps: 10,
    telemetry: (s) => ({
      'clip.preNorm': 10 ** s,
      'clip.postNorm': 1,
      'clip.clipped': 1,
      lr: 0.1 * 0.1 ** s,
    }),
  });
  const variants = [
    { variant: 'plain', record: fallingLoss() },
    { variant: 'relu', record: syntheticRecord({ steps: 10 }) },
  ];
  const points = [1, 2, 3].map((x) => ({ series: 's', x: 10 ** x, y: 10 ** -x, value: 10 ** x }));
  const axes = { x: { title: 'x', log: true }, y: { title: 'y', log: true } };
  return {
    gradientFlow: gradientFlowSpec(syntheticRecord()),
    signal: signalSpec(syntheticRecord({ kind: 'rnn' })),
    loss: lossSpec(fallingLoss()),
    lossUnsmoothed: lossSpec(fallingLoss(), { smoothing: 0 }),
    clipping: clippingSpec(clipped),
    learningRate: learningRateSpec(clipped),
    comparisonFlow: comparisonFlowSpec(variants),
    comparisonLoss: comparisonLossSpec(variants),
    backendDiff: backendDiffSpec(
      [{ layer: 'dense1', maxRelDiff: { wasm: 1e-6 }, step1RelDiff: { wasm: 1e-7 } }],
      ['wasm'],
      { tolerance: 1e-3 },
    ),
    studyLine: studyFigureSpec({ id: 'l', title: 'l', kind: 'line', ...axes, points })?.spec,
    studyBar: studyFigureSpec({
      id: 'b',
      title: 'b',
      kind: 'bar',
      x: { title: 'x' },
      y: { title: 'y', log: true },
      points: points.map((p) => ({ ...p, x: String(p.x) })),
    })?.spec,
    studyHeatmap: studyFigureSpec({
      id: 'h',
      title: 'h',
      kind: 'heatmap',
      x: { title: 'x' },
      y: { title: 'y' },
      value: { title: 'v', log: true },
      points: points.map((p) => ({ ...p, x: String(p.x), y: String(p.y) })),
    })?.spec,
  };
}

describe('log axes', () => {
  it('every log scale of every chart labels its ticks in the one shared format', () => {
    const charts = logCharts();
    for (const [name, spec] of Object.entries(charts)) {
      const scales = logScaleFormats(spec);
      // Each of these charts was built to have a log scale: one that lost it is a failure too.
      expect(scales.length, `${name} has no log scale`).toBeGreaterThan(0);
      for (const s of scales) expect(s.format, `${name}: ${s.path}`).toBe(LOG_AXIS_FORMAT);
    }
  });

  it('finds a log scale whose axis has no format, or another format', () => {
    const bare = { encoding: { y: { field: 'v', scale: { type: 'log' } } } };
    const other = {
      layer: [{ encoding: { y: { scale: { type: 'log' }, axis: { format: '.2f' } } } }],
    };
    expect(logScaleFormats(bare)).toEqual([{ path: 'spec.y', format: undefined }]);
    expect(logScaleFormats(other)).toEqual([{ path: 'spec.layer[0].y', format: '.2f' }]);
  });

  it('draws the ticks of a log axis as 1e-3, not 0.001', async () => {
    // Norms 0.5 x 10^-4 ... 0.5: ticks at every decade between.
    const svg = await renderSvg(gradientFlowSpec(syntheticRecord({ layers: 5 })));
    expect(svg).toContain('>1e-3<');
    expect(svg).toContain('>1e-1<');
    expect(svg).not.toContain('>0.001<');
    expect(svg).not.toContain('>0.1<');
  });
});
