import { type ExperimentSpecInput, parseSpec, runExperiment } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { relDiff } from '../compare.js';
import type { KitContext } from '../context.js';
import { checkNormRange } from '../norm-range.js';
import { runLogged } from '../runs.js';
import type { GroupContext } from './group.js';
import { checkAsyncReadback } from './readback.js';
import { tinyLstm, tinyMlp } from './tiny-specs.js';

// Properties of the backend alone: numerics, determinism, memory, read-backs.

/** Equal for 'determinism/seed': bitwise, or within 1e-7 relative (absolute below 1). */
function sameNumber(a: number, b: number): boolean {
  return Object.is(a, b) || Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(a), Math.abs(b));
}

async function checkDeterminism(ctx: KitContext): Promise<void> {
  const tolerance = await ctx.tolerance();
  const spec = (seed: number): ExperimentSpecInput => ({
    ...tinyMlp(seed, 6),
    model: { kind: 'mlp', depth: 4, width: 8, activation: 'relu', norm: 'batchnorm' },
    diagnostics: { every: 3 },
  });
  await ctx.onBackend();
  const a = await runLogged(spec(7));
  const b = await runLogged(spec(7));
  const c = await runLogged(spec(8));
  const differences: string[] = [];
  a.steps.forEach((s, i) => {
    const t = b.steps[i];
    if (!t || !sameNumber(s.loss, t.loss)) {
      differences.push(`step ${s.step} loss ${s.loss} then ${t?.loss}`);
    }
    s.diagnostics?.layers.forEach((l, j) => {
      const other = t?.diagnostics?.layers[j]?.gradNorm;
      if (other === undefined || !sameNumber(l.gradNorm, other)) {
        differences.push(`step ${s.step} ${l.name} gradNorm ${l.gradNorm} then ${other}`);
      }
    });
  });
  if (differences.length > 0) {
    throw new Error(
      `two runs from the same seed differ at ${differences.length} point(s):\n  ${differences.slice(0, 8).join('\n  ')}`,
    );
  }
  const moved = a.steps.some((s, i) => relDiff(s.loss, c.steps[i]?.loss ?? s.loss) > tolerance);
  expect(moved, 'a run from another seed gives the same losses').toBe(true);
}

async function checkNoLeak(ctx: KitContext): Promise<void> {
  await ctx.onBackend();
  for (const [label, spec] of [
    ['MLP', tinyMlp],
    ['LSTM', tinyLstm],
  ] as const) {
    // Anything allocated once per process (kernel caches, grown heaps) is allocated first.
    await runExperiment(parseSpec(spec(5, 2)));
    const start = tf.memory();
    const perStep: { step: number; numTensors: number; numBytes: number }[] = [];
    const result = await runExperiment(parseSpec(spec(5, 50)), {
      listeners: [
        (e) => {
          if (e.type === 'step') {
            const { numTensors, numBytes } = tf.memory();
            perStep.push({ step: e.step, numTensors, numBytes });
          }
        },
      ],
    });
    const end = tf.memory();
    expect(result.status, `${label}: ${result.error ?? ''}`).toBe('complete');
    expect(perStep, `${label}: steps`).toHaveLength(50);
    const first = perStep[0] as (typeof perStep)[number];
    const grew = perStep.filter(
      (s) => s.numTensors !== first.numTensors || s.numBytes !== first.numBytes,
    );
    expect(
      grew.slice(0, 3),
      `${label}: live tensors/bytes after a step differ from after step 1 (${first.numTensors} tensors, ${first.numBytes} bytes)`,
    ).toEqual([]);
    expect(
      { numTensors: end.numTensors, numBytes: end.numBytes },
      `${label}: memory after the run`,
    ).toEqual({ numTensors: start.numTensors, numBytes: start.numBytes });
  }
}

export function registerBackendAlone({ register, ctx }: GroupContext): void {
  register('numerics/norm-range', () => checkNormRange(ctx));
  register('determinism/seed', () => checkDeterminism(ctx));
  register('memory/no-leak', () => checkNoLeak(ctx));
  register('readback/async-only', () => checkAsyncReadback(ctx));
}
