import { expect } from 'vitest';
import type { KitContext } from '../context.js';
import { checkGradient } from '../gradients.js';
import { GRADIENT_TESTS, KERNEL_TESTS, MODEL_TESTS } from '../ids.js';
import { checkKernel } from '../kernels.js';
import { checkRun, MITIGATIONS_SPEC, MODEL_SPECS, runLogged } from '../runs.js';
import type { GroupContext } from './group.js';

// Ops, layers, the kernels a backend replaces, and whole training runs, against the oracle.

async function checkMitigations(ctx: KitContext): Promise<void> {
  await ctx.onOracle();
  const reference = await runLogged(MITIGATIONS_SPEC);
  // The spec must exercise what it claims to, or the comparison proves nothing.
  const telemetry = reference.steps.map((s) => s.diagnostics?.telemetry ?? {});
  expect(
    telemetry.every((t) => (t['clip.clipped'] ?? 0) > 0),
    'the global norm is clipped on every step',
  ).toBe(true);
  const lrs = telemetry.map((t) => t.lr ?? Number.NaN);
  expect(lrs[0] as number, 'warm-up: the first rate is below the third').toBeLessThan(
    lrs[2] as number,
  );
  expect(lrs.at(-1) as number, 'cosine: the last rate is below the peak').toBeLessThan(
    Math.max(...lrs),
  );
  expect(
    telemetry.every((t) => (t['regularization.penalty'] ?? 0) > 0),
    'the l2 penalty is reported',
  ).toBe(true);
  await checkRun(ctx, 'training/mitigations', MITIGATIONS_SPEC);
}

export function registerAgainstOracle({ register, ctx }: GroupContext): void {
  for (const id of GRADIENT_TESTS) register(id, () => checkGradient(ctx, id));
  for (const id of KERNEL_TESTS) register(id, () => checkKernel(ctx, id));
  for (const id of MODEL_TESTS) {
    register(id, async () => {
      await checkRun(ctx, id, MODEL_SPECS[id]);
    });
  }
  register('training/mitigations', () => checkMitigations(ctx));
}
