import { describe, expect, it } from 'vitest';
import { studyRuns } from '../define/define-study.js';
import type { TrainedRun } from '../study.js';
import {
  armsBySeed,
  drawSpec,
  drawsByArm,
  drawsThenTrained,
  finished,
  ofArm,
  planOf,
} from './arm-runs.js';

const label = (arm: string, seed: number) => `${arm}-${seed}`;

describe('arm runs', () => {
  it('lists the trained nets seed by seed and the draws arm by arm', () => {
    expect(armsBySeed(['a', 'b'], [3, 5], label).map((r) => r.label)).toEqual([
      'a-3',
      'b-3',
      'a-5',
      'b-5',
    ]);
    const draws = drawsByArm(['a', 'b'], 2, label);
    expect(draws.map((r) => r.label)).toEqual(['a-0', 'a-1', 'b-0', 'b-1']);
    expect(ofArm(draws, 'b').map((r) => r.seed)).toEqual([0, 1]);
  });

  it('plans each run under its label and hands the judge each one trained', () => {
    const nets = armsBySeed(['a'], [0, 1], label);
    const plan = planOf(nets, (r) => ({ gradlab: 1, seed: r.seed }) as never);
    expect(plan).toEqual([
      { label: 'a-0', spec: { gradlab: 1, seed: 0 } },
      { label: 'a-1', spec: { gradlab: 1, seed: 1 } },
    ]);
    const trained = nets.map((r) => ({ label: r.label }) as TrainedRun);
    const runs = finished(nets, studyRuns('s', trained));
    expect(runs.map((r) => [r.seed, r.run])).toEqual([
      [0, trained[0]],
      [1, trained[1]],
    ]);
  });

  it('draws a network like the trained one, measured in full at step 1 on fewer samples', () => {
    const spec = {
      gradlab: 1 as const,
      name: 'x',
      data: { kind: 'mnist' as const, samples: 5000 },
      model: { kind: 'mlp' as const, depth: 3, width: 8 },
      training: { steps: 300, batchSize: 32 },
      diagnostics: { every: 10 },
    };
    expect(drawSpec(spec)).toEqual({
      ...spec,
      data: { kind: 'mnist', samples: 256 },
      training: { steps: 1, batchSize: 32 },
      diagnostics: { every: 1 },
    });
    const plan = drawsThenTrained(
      drawsByArm(['a'], 1, label),
      armsBySeed(['a'], [7], label),
      () => spec,
    );
    expect(plan.map((r) => [r.label, r.spec.training?.steps])).toEqual([
      ['a-0', 1],
      ['a-7', 300],
    ]);
  });
});
