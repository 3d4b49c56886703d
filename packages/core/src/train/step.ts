import * as tf from '@tensorflow/tfjs-core';
import { type LayerSlots, decodeLayers, decodeSignal, measureActivation, measureGradients } from '../diagnostics/measure.js';
import { SummaryPacker } from '../diagnostics/packer.js';
import { type StepDiagnostics, worstVerdict } from '../diagnostics/types.js';
import type { GradModel } from '../model/types.js';
import type { Thresholds } from '../spec/schema.js';
import { type LossKind, batchAccuracy, computeLoss } from './loss.js';
import type { GradientTransform } from './transform.js';

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
}

interface Layout {
  loss: number;
  accuracy: number;
  global: number;
  layers: LayerSlots[];
  signal: number;
  telemetry: [string, number][];
}

/**
 * One training step on a batch: forward, loss, gradients of every variable (and of the signal
 * probes on full steps), gradient transforms, optimiser update, then ONE read-back of a packed
 * summary. Leaves no tensor behind. Returns null diagnostics for "bare" steps.
 */
export async function trainStep(
  ctx: StepContext,
  x: tf.Tensor,
  y: tf.Tensor,
  step: number,
  mode: StepMode,
): Promise<{ loss: number; diagnostics: StepDiagnostics | null }> {
  const { model } = ctx;
  const full = mode === 'full';
  let kept: tf.Tensor | null = null;
  let layout: Layout | null = null;
  const summary = tf.tidy(() => {
    const packer = new SummaryPacker();
    const probes = full ? model.probeShapes(x.shape[0] as number).map((s) => tf.zeros(s)) : [];
    let actLayout: { slots: Partial<LayerSlots>[]; accuracy: number } | null = null;
    const lossFn = (): tf.Scalar => {
      const out = model.forward(x, full ? probes : null);
      if (full) {
        // Activation statistics must be computed here: engine.gradients disposes every
        // intermediate of the forward pass when it returns. They are packed and kept.
        const local = new SummaryPacker();
        const slots = model.layers.map((g, i) => {
          const c = out.captured[i];
          const s = { activationMean: -1, activationStd: -1, saturation: -1, dead: -1 } as LayerSlots;
          if (c) measureActivation(local, s, g.activation, c.pre, c.post);
          return s;
        });
        const accuracy = ctx.classification ? local.scalar(batchAccuracy(out.output, y)) : -1;
        kept = tf.keep(local.pack());
        actLayout = { slots, accuracy };
      }
      return computeLoss(ctx.loss, out.output, y);
    };
    const variables = model.variables;
    const { value, grads } = tf.engine().gradients(lossFn, [...variables, ...probes], undefined, true);
    const lossSlot = packer.scalar(value);
    if (mode === 'bare') {
      ctx.optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] as tf.Tensor })));
      return packer.pack();
    }
    const gradOf = new Map<tf.Tensor, tf.Tensor>(variables.map((v, i) => [v, grads[i] as tf.Tensor]));
    const measured = measureGradients(packer, model.layers, (p) => gradOf.get(p) as tf.Tensor);
    let varGrads = grads.slice(0, variables.length) as tf.Tensor[];
    const telemetry: [string, number][] = [];
    for (const t of ctx.transforms) {
      const r = t.apply(varGrads, variables, step);
      varGrads = r.grads;
      for (const [k, s] of Object.entries(r.telemetry ?? {})) telemetry.push([`${t.name}.${k}`, packer.scalar(s)]);
    }
    const before = full ? model.layers.map((g) => tf.clone(g.kernel)) : [];
    ctx.optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: varGrads[i] as tf.Tensor })));
    let signal = -1;
    let accuracy = -1;
    if (full && kept && actLayout) {
      const base = packer.vector(kept as tf.Tensor1D);
      const a = actLayout as { slots: Partial<LayerSlots>[]; accuracy: number };
      measured.layers.forEach((s, i) => {
        const src = a.slots[i] as LayerSlots;
        s.activationMean = shift(src.activationMean, base);
        s.activationStd = shift(src.activationStd, base);
        s.saturation = shift(src.saturation, base);
        s.dead = shift(src.dead, base);
        s.update = packer.scalar(tf.norm(tf.sub(model.layers[i]?.kernel as tf.Tensor, before[i] as tf.Tensor)));
      });
      accuracy = shift(a.accuracy, base);
      signal = packer.vector(tf.stack(grads.slice(variables.length).map((g) => tf.norm(g))) as tf.Tensor1D);
    }
    layout = { loss: lossSlot, accuracy, global: measured.globalGradNorm, layers: measured.layers, signal, telemetry };
    return packer.pack();
  });
  try {
    const values = await summary.data();
    const loss = values[0] as number;
    if (!layout) return { loss, diagnostics: null };
    return { loss, diagnostics: decodeStep(values, layout, ctx, step, full) };
  } finally {
    summary.dispose();
    (kept as tf.Tensor | null)?.dispose();
  }
}

/** Moves a slot of the kept activation vector to its place in the step's summary. */
function shift(k: number, base: number): number {
  return k < 0 ? -1 : base + k;
}

function decodeStep(values: Float32Array | Int32Array | Uint8Array, layout: Layout, ctx: StepContext, step: number, full: boolean): StepDiagnostics {
  const { model, thresholds } = ctx;
  const layers = decodeLayers(values, model.layers.map((g) => g.name), layout.layers, thresholds);
  const signal = layout.signal >= 0 ? decodeSignal(values, model.signalLabels, layout.signal, thresholds) : null;
  const loss = values[layout.loss] as number;
  const verdicts = layers.map((l) => l.verdict);
  if (signal && model.kind !== 'mlp') verdicts.push(signal.verdict);
  if (!Number.isFinite(loss)) verdicts.push('non-finite');
  return {
    step,
    full,
    loss,
    accuracy: layout.accuracy >= 0 ? (values[layout.accuracy] as number) : null,
    globalGradNorm: values[layout.global] as number,
    layers,
    signal,
    telemetry: Object.fromEntries(layout.telemetry.map(([k, i]) => [k, values[i] as number])),
    verdict: worstVerdict(verdicts),
  };
}
