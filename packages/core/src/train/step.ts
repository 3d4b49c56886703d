import * as tf from '@tensorflow/tfjs-core';
import { l2Norms } from '../backends/fused-kernels.js';
import { judgeStep } from '../diagnostics/evidence.js';
import {
  packGradientSquares,
  resolveGradientNorms,
  type SquareSlot,
} from '../diagnostics/gradient-squares.js';
import {
  decodeLayers,
  decodeSignal,
  type LayerSlots,
  measureActivation,
  nonFiniteCounts,
} from '../diagnostics/measure.js';
import { SummaryPacker } from '../diagnostics/packer.js';
import type { StepDiagnostics } from '../diagnostics/types.js';
import { clipWeights, weightPenalty } from '../mitigate/regularize.js';
import type { GradientTransform } from '../mitigate/transform.js';
import type { CapturedActivation, GradModel, LayerGroup } from '../model/types.js';
import type { Thresholds } from '../spec/schema.js';
import { batchAccuracy, computeLoss, type LossKind } from './loss.js';

/**
 * What one step measures:
 * - "bare": the loss only (the baseline the diagnostics' cost is measured against);
 * - "norms": loss and per-layer gradient norms (cheap, every step);
 * - "full": everything: update ratios, activation statistics, the backpropagated signal.
 */
export type StepMode = 'bare' | 'norms' | 'full';

export interface StepContext {
  readonly model: GradModel;
  readonly optimizer: tf.Optimizer;
  readonly loss: LossKind;
  readonly classification: boolean;
  readonly transforms: readonly GradientTransform[];
  readonly thresholds: Thresholds;
  /** Weight penalties added to the loss, over the kernels. */
  readonly regularization?: { readonly l1: number; readonly l2: number };
  /** WGAN weight clipping after the update, or null. */
  readonly weightClip?: number | null;
}

interface Layout {
  loss: number;
  accuracy: number;
  squares: SquareSlot[];
  layers: LayerSlots[];
  signal: number;
  telemetry: [string, number][];
}

/**
 * One training step on a batch: forward, loss, gradients of every variable (and of the signal
 * probes on full steps), gradient transforms, optimiser update, then ONE read-back of a packed
 * summary (a second one only if a gradient holds NaN/Inf, to count them per layer). Leaves no
 * tensor behind. Returns null diagnostics for "bare" steps.
 */
export async function trainStep(
  ctx: StepContext,
  x: tf.Tensor,
  y: tf.Tensor,
  step: number,
  mode: StepMode,
): Promise<{ loss: number; diagnostics: StepDiagnostics | null }> {
  const { model } = ctx;
  const variables = model.variables;
  const full = mode === 'full';
  // Tensors that outlive the tidy (kept), disposed in the finally below.
  let forwardKept: { captured: (CapturedActivation | null)[]; output: tf.Tensor } | null = null;
  let rawGrads: tf.Tensor[] = [];
  let stateUpdates: { variable: tf.Variable; value: tf.Tensor }[] = [];
  let penalty: tf.Tensor | null = null;
  const disposeKept = () => {
    const f = forwardKept as { captured: (CapturedActivation | null)[]; output: tf.Tensor } | null;
    if (f)
      tf.dispose([
        f.output,
        ...f.captured.flatMap((c) => (c ? [c.post, ...(c.pre ? [c.pre] : [])] : [])),
      ]);
    (penalty as tf.Tensor | null)?.dispose();
    tf.dispose(rawGrads);
    tf.dispose(stateUpdates.map((u) => u.value));
  };
  const penaltyL1 = ctx.regularization?.l1 ?? 0;
  const penaltyL2 = ctx.regularization?.l2 ?? 0;
  let layout: Layout | null = null;
  const measure = (): tf.Tensor1D => {
    const packer = new SummaryPacker();
    const probes = full ? model.probeShapes(x.shape[0] as number).map((s) => tf.zeros(s)) : [];
    const lossFn = (): tf.Scalar => {
      const out = model.forward(x, full ? probes : null, true, full);
      if (full) {
        // engine.gradients disposes every intermediate of the forward pass when it returns:
        // keep what the activation statistics read, and measure it after the gradients, off
        // the tape (measured here, each of its kernels would be recorded for backprop).
        forwardKept = {
          output: tf.keep(out.output),
          captured: out.captured.map((c) =>
            c ? { pre: c.pre ? tf.keep(c.pre) : null, post: tf.keep(c.post) } : null,
          ),
        };
      }
      // BatchNorm's new running statistics survive the gradient computation, to be assigned
      // once the step's update is done.
      stateUpdates = out.stateUpdates.map((u) => ({
        variable: u.variable,
        value: tf.keep(u.value),
      }));
      const dataLoss = computeLoss(ctx.loss, out.output, y);
      if (penaltyL1 === 0 && penaltyL2 === 0) return dataLoss;
      penalty = tf.keep(
        weightPenalty(
          model.layers.map((g) => g.kernel),
          penaltyL1,
          penaltyL2,
        ),
      );
      return tf.add(dataLoss, penalty as tf.Tensor) as tf.Scalar;
    };
    const finishUpdate = () => {
      for (const u of stateUpdates) u.variable.assign(u.value);
      if (ctx.weightClip) clipWeights(variables, ctx.weightClip);
    };
    const { value, grads } = tf
      .engine()
      .gradients(lossFn, [...variables, ...probes], undefined, true);
    const lossSlot = packer.scalar(value);
    let varGrads = grads.slice(0, variables.length);
    if (mode === 'bare') {
      ctx.optimizer.applyGradients(
        variables.map((v, i) => ({ name: v.name, tensor: varGrads[i] as tf.Tensor })),
      );
      finishUpdate();
      return packer.pack();
    }
    rawGrads = varGrads.map((g) => tf.keep(g));
    const gradOf = new Map<tf.Tensor, tf.Tensor>(
      variables.map((v, i) => [v, varGrads[i] as tf.Tensor]),
    );
    // Weight norms only on full steps: on the others they would double the cost of the norms.
    const measured = packGradientSquares(
      packer,
      model.layers,
      (p) => gradOf.get(p) as tf.Tensor,
      full,
    );
    const telemetry: [string, number][] = [];
    for (const t of ctx.transforms) {
      const r = t.apply(varGrads, variables, step);
      varGrads = r.grads;
      for (const [k, s] of Object.entries(r.telemetry ?? {}))
        telemetry.push([`${t.name}.${k}`, packer.scalar(s)]);
    }
    const before = full ? model.layers.map((g) => tf.clone(g.kernel)) : [];
    ctx.optimizer.applyGradients(
      variables.map((v, i) => ({ name: v.name, tensor: varGrads[i] as tf.Tensor })),
    );
    finishUpdate();
    if (penalty) telemetry.push(['regularization.penalty', packer.scalar(penalty as tf.Tensor)]);
    let signal = -1;
    let accuracy = -1;
    const kept = forwardKept as {
      captured: (CapturedActivation | null)[];
      output: tf.Tensor;
    } | null;
    if (full && kept) {
      // Every layer's update norm ||W_after - W_before|| in one op (one kernel where the
      // backend has GradlabL2Norms).
      const updates = packer.vector(
        l2Norms(model.layers.map((g, i) => tf.sub(g.kernel, before[i] as tf.Tensor))),
      );
      measured.layers.forEach((s, i) => {
        const c = kept.captured[i];
        if (c)
          measureActivation(packer, s, (model.layers[i] as LayerGroup).activation, c.pre, c.post);
        s.update = updates + i;
      });
      if (ctx.classification)
        accuracy = packer.scalar(batchAccuracy(kept.output as tf.Tensor2D, y));
      if (probes.length > 0) signal = packer.vector(l2Norms(grads.slice(variables.length)));
    }
    layout = {
      loss: lossSlot,
      accuracy,
      squares: measured.squares,
      layers: measured.layers,
      signal,
      telemetry,
    };
    return packer.pack();
  };
  let summary: tf.Tensor1D;
  try {
    summary = tf.tidy(measure);
  } catch (e) {
    // The tidy disposed its own tensors; the kept ones are ours (a transform may throw).
    disposeKept();
    throw e;
  }
  try {
    const values = await summary.data();
    const loss = values[0] as number;
    if (!layout) return { loss, diagnostics: null };
    const l = layout as Layout;
    const gradOf = new Map<tf.Tensor, tf.Tensor>(
      variables.map((v, i) => [v, rawGrads[i] as tf.Tensor]),
    );
    const grad = (p: tf.Tensor) => gradOf.get(p) as tf.Tensor;
    const norms = await resolveGradientNorms(values, l.squares, grad);
    let counts: ArrayLike<number> | undefined;
    if (!Number.isFinite(norms.global)) {
      const c = tf.tidy(() => nonFiniteCounts(model.layers, grad));
      counts = await c.data();
      c.dispose();
    }
    return {
      loss,
      diagnostics: decodeStep(norms.values, norms.global, l, ctx, step, full, counts),
    };
  } finally {
    summary.dispose();
    disposeKept();
  }
}

function decodeStep(
  values: ArrayLike<number>,
  globalGradNorm: number,
  layout: Layout,
  ctx: StepContext,
  step: number,
  full: boolean,
  nonFinite: ArrayLike<number> | undefined,
): StepDiagnostics {
  const { model, thresholds } = ctx;
  const names = model.layers.map((g) => g.name);
  const layers = decodeLayers(values, names, layout.layers, thresholds, nonFinite);
  const signal =
    layout.signal >= 0 ? decodeSignal(values, model.signalLabels, layout.signal, thresholds) : null;
  const loss = values[layout.loss] as number;
  const { verdict, evidence } = judgeStep(layers, signal, loss, thresholds, {
    signalUnit: model.kind === 'mlp' ? 'layers' : 'time steps',
    skipConnections: model.skipConnections ?? false,
  });
  return {
    step,
    full,
    loss,
    accuracy: layout.accuracy >= 0 ? (values[layout.accuracy] as number) : null,
    globalGradNorm,
    layers,
    signal,
    telemetry: Object.fromEntries(layout.telemetry.map(([k, i]) => [k, values[i] as number])),
    verdict,
    evidence,
  };
}
