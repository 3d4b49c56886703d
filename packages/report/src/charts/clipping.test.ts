import { describe, expect, it } from 'vitest';
import { markItems, syntheticRecord } from '../test-support.js';
import { renderSvg } from '../vega.js';
import { clippingSpec, clipShare } from './clipping.js';

/** Steps 1 to 3 are clipped from a pre-clip norm of 10^step down to 1. */
const clipped = (step: number) => ({
  'clip.preNorm': step <= 3 ? 10 ** step : 0.5,
  'clip.postNorm': step <= 3 ? 1 : 0.5,
  'clip.clipped': step <= 3 ? 1 : 0,
  lr: 0.01,
});

describe('clipping', () => {
  it('draws the pre- and post-clip norms and the share of clipped steps', async () => {
    const record = syntheticRecord({ steps: 10, telemetry: clipped });
    expect(clipShare(record)).toEqual({ clipped: 3, steps: 10 });
    const svg = await renderSvg(
      clippingSpec(record) as NonNullable<ReturnType<typeof clippingSpec>>,
    );
    expect(markItems(svg, 'marks')).toBe(2);
    expect(svg).toContain('3 of 10 steps clipped (30.0%)');
    expect(svg).toContain('before clipping');
    expect(svg).toContain('after clipping');
  });

  it('is absent when the run did not clip', () => {
    expect(clippingSpec(syntheticRecord())).toBeNull();
    expect(clippingSpec(syntheticRecord({ telemetry: () => ({ lr: 0.1 }) }))).toBeNull();
  });
});
