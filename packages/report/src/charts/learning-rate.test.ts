import { describe, expect, it } from 'vitest';
import { markItems, syntheticRecord } from '../test-support.js';
import { renderSvg } from '../vega.js';
import { learningRateSpec } from './learning-rate.js';

describe('learning rate', () => {
  it('draws the learning rate of every step when it changes', async () => {
    const record = syntheticRecord({ steps: 10, telemetry: (s) => ({ lr: 0.1 * 0.5 ** s }) });
    const spec = learningRateSpec(record) as unknown as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(10);
    const svg = await renderSvg(
      learningRateSpec(record) as NonNullable<ReturnType<typeof learningRateSpec>>,
    );
    expect(markItems(svg, 'marks')).toBe(1);
    expect(svg).toContain('learning rate (log scale)');
  });

  it('is absent when the rate is constant or not reported', () => {
    expect(learningRateSpec(syntheticRecord({ telemetry: () => ({ lr: 0.01 }) }))).toBeNull();
    expect(learningRateSpec(syntheticRecord())).toBeNull();
  });
});
