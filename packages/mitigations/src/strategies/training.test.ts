import type { ExperimentSpec, StepDiagnostics } from '@gradlab/core';
import { caught, expectClose, useCpu } from '@gradlab/testkit/helpers';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMitigations } from '../catalogue.js';
import { mlpSpec, noLeak, rnnSpec, run } from '../test-support.js';

beforeAll(useCpu);

/** The diagnostics of every step of a run. */
async function steps(spec: ExperimentSpec): Promise<StepDiagnostics[]> {
  const { result, events } = await noLeak(() => run(spec));
  expect(result.status).toBe('complete');
  return events.flatMap((e) => (e.type === 'step' && e.diagnostics ? [e.diagnostics] : []));
}

const base = mlpSpec({
  model: { kind: 'mlp', depth: 4, width: 8, activation: 'relu', init: 'he-normal' },
  training: { steps: 6, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.05 } },
});

describe('gradient clipping in a run: telemetry per step', () => {
  it('clip-global-norm: clip.preNorm is the global norm, clip.postNorm = min(pre, maxNorm), clip.clipped says which', async () => {
    // Find the unclipped norms, then clip between their extremes so both branches occur.
    const norms = (await steps(base)).map((d) => d.globalGradNorm);
    const maxNorm = (Math.min(...norms) + Math.max(...norms)) / 2;
    const ds = await steps(applyMitigations(base, `clip-global-norm:${maxNorm}`));
    expect(ds).toHaveLength(6);
    const flags = new Set<number>();
    for (const d of ds) {
      const { 'clip.preNorm': pre, 'clip.postNorm': post, 'clip.clipped': clipped } = d.telemetry;
      expectClose(pre as number, d.globalGradNorm, 1e-5);
      expect(post).toBeLessThanOrEqual(maxNorm * (1 + 1e-6));
      expectClose(post as number, Math.min(pre as number, maxNorm), 1e-5);
      expect(clipped).toBe((pre as number) > maxNorm ? 1 : 0);
      flags.add(clipped as number);
    }
    expect(flags).toEqual(new Set([0, 1]));
  });

  it('clip-value and clip-norm report their telemetry and never raise the norm', async () => {
    for (const [variant, bound] of [
      ['clip-value:0.01', Number.POSITIVE_INFINITY],
      ['clip-norm:0.05', 0.05 * Math.sqrt(8)], // 8 tensors, each of norm <= 0.05
    ] as const) {
      const ds = await steps(applyMitigations(base, variant));
      for (const d of ds) {
        expect(d.telemetry['clip.clipped']).toBe(1);
        expect(d.telemetry['clip.postNorm']).toBeLessThanOrEqual(
          (d.telemetry['clip.preNorm'] as number) * (1 + 1e-6),
        );
        expect(d.telemetry['clip.postNorm']).toBeLessThanOrEqual(bound * (1 + 1e-6));
      }
    }
  });
});

describe('learning-rate strategies in a run: the rate of every step', () => {
  const rates = async (variant: string) =>
    (await steps(applyMitigations(base, variant))).map((d) => d.telemetry.lr as number);

  it('lr + warmup + step-decay', async () => {
    const spec = applyMitigations(base, 'lr:0.2+warmup:2+step-decay:3:0.5');
    expect(spec.training.optimizer.lr).toBe(0.2);
    expect(spec.training.schedule).toEqual({ kind: 'step', every: 3, factor: 0.5, warmupSteps: 2 });
    const r = await rates('lr:0.2+warmup:2+step-decay:3:0.5');
    [0.1, 0.2, 0.2, 0.2, 0.2, 0.1].forEach((v, i) => {
      expectClose(r[i] as number, v, 1e-12);
    });
  });

  it('exp-decay: lr * rate^(step - 1)', async () => {
    const r = await rates('exp-decay:0.5');
    r.forEach((v, i) => {
      expectClose(v, 0.05 * 0.5 ** i, 1e-12);
    });
  });

  it('cosine: from lr toward minLr over the run', async () => {
    const r = await rates('cosine:0.01');
    r.forEach((v, i) => {
      expectClose(v, 0.01 + (0.04 * (1 + Math.cos((Math.PI * i) / 6))) / 2, 1e-12);
    });
    // the order of tokens matters: warmup then cosine keeps the warm-up
    expect(applyMitigations(base, 'warmup:2+cosine').training.schedule).toMatchObject({
      kind: 'cosine',
      warmupSteps: 2,
    });
  });

  it('refuses a warm-up as long as the run and a cosine floor above lr', async () => {
    expect((await caught(() => applyMitigations(base, 'warmup:6'))).message).toContain(
      'warmup does not apply here',
    );
    expect((await caught(() => applyMitigations(base, 'cosine:0.1'))).message).toContain(
      "must be below the optimiser's learning rate (0.05)",
    );
  });
});

describe('optimiser strategies', () => {
  // A deep sigmoid network: the first layer's gradient is orders of magnitude below the last's.
  const deep = mlpSpec({
    model: { kind: 'mlp', depth: 8, width: 8, activation: 'sigmoid', init: 'xavier-normal' },
    training: { steps: 2, batchSize: 16, optimizer: { kind: 'sgd', lr: 0.001 } },
  });
  const updates = async (variant: string, step: number) =>
    (await steps(applyMitigations(deep, variant)))[step - 1]?.layers.map(
      (l) => l.updateToWeight as number,
    ) as number[];

  it('adam moves a layer with a vanishing gradient as fast as any: its update no longer scales with the gradient', async () => {
    const sgd = await updates('sgd', 1);
    const adam = await updates('adam', 1);
    expect(applyMitigations(deep, 'adam').training.optimizer).toMatchObject({
      kind: 'adam',
      lr: 0.001,
    });
    const spread = (u: number[]) => (u.at(-1) as number) / (u[0] as number);
    expect(spread(sgd)).toBeGreaterThan(100); // SGD: the first layer barely moves
    expect(spread(adam)).toBeLessThan(10);
    expect((adam[0] as number) / (sgd[0] as number)).toBeGreaterThan(100);
  });

  it("momentum: with a nearly constant gradient, the second update is (1 + m) times SGD's", async () => {
    const sgd = await updates('sgd', 2);
    const momentum = await updates('momentum:0.9', 2);
    expect(applyMitigations(deep, 'momentum:0.9').training.optimizer).toEqual({
      kind: 'momentum',
      lr: 0.001,
      momentum: 0.9,
    });
    expectClose((momentum.at(-1) as number) / (sgd.at(-1) as number), 1.9, 0.02);
  });

  it('sgd keeps the learning rate', () => {
    const adam = applyMitigations(deep, 'lr:0.01+adam');
    expect(applyMitigations(adam, 'sgd').training.optimizer).toEqual({ kind: 'sgd', lr: 0.01 });
  });
});

describe('layer-wise pre-training', () => {
  it("lowers every layer's reconstruction loss; its events come before the first step", async () => {
    const spec = applyMitigations(base, 'pretrain:25');
    expect(spec.training.pretraining).toEqual({ stepsPerLayer: 25, lr: 0.01 });
    const { result, events } = await noLeak(() => run(spec));
    expect(result.pretraining.map((p) => p.layer)).toEqual(['dense1', 'dense2', 'dense3']);
    for (const p of result.pretraining) {
      expect(p.steps).toBe(25);
      expect(p.lastLoss).toBeLessThan(p.firstLoss);
    }
    const kinds = events.map((e) => e.type);
    const firstStep = kinds.indexOf('step');
    expect(kinds.filter((k) => k === 'pretrain')).toHaveLength(75);
    expect(kinds.lastIndexOf('pretrain')).toBeLessThan(firstStep);
  });

  it('does not apply to a recurrent net', async () => {
    const e = await caught(() => applyMitigations(rnnSpec(), 'pretrain'));
    expect(e.message).toContain('pretrain does not apply here: the model is a rnn');
  });
});
