import type { RunRecord } from '@gradlab/core';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { syntheticRecord } from '../test-support.js';
import { comparisonLossSpec } from './comparison.js';
import { learningRateSpec } from './learning-rate.js';
import { lossSpec } from './loss.js';

/** The x domain vega draws: after "nice" rounding, if the spec asks for any. */
async function xDomain(spec: TopLevelSpec): Promise<number[]> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    await view.runAsync();
    return view.scale('x').domain() as number[];
  } finally {
    view.finalize();
  }
}

const run = (steps: number): RunRecord => syntheticRecord({ steps, every: 10 });

describe('step axes end at the last step', () => {
  it('the comparison loss of two 150-step runs spans steps 1 to 150, not 0 to 160', async () => {
    const spec = comparisonLossSpec([
      { variant: 'plain', record: run(150) },
      { variant: 'relu', record: run(150) },
    ]) as TopLevelSpec;
    expect(await xDomain(spec)).toEqual([1, 150]);
  });

  it('the loss and the learning-rate charts too', async () => {
    expect(await xDomain(lossSpec(run(150)))).toEqual([1, 150]);
    const lr = syntheticRecord({ steps: 150, telemetry: (s) => ({ lr: 0.1 / s }) });
    expect(await xDomain(learningRateSpec(lr) as TopLevelSpec)).toEqual([1, 150]);
  });
});
