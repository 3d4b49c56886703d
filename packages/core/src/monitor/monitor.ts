import * as tf from '@tensorflow/tfjs-core';
import { judgeStep } from '../diagnostics/evidence.js';
import {
  decodeLayers,
  type LayerSlots,
  type MeasuredLayer,
  measureActivation,
  measureGradients,
  nonFiniteCounts,
} from '../diagnostics/measure.js';
import { l2Norm } from '../diagnostics/norm.js';
import { SummaryPacker } from '../diagnostics/packer.js';
import type { StepDiagnostics } from '../diagnostics/types.js';
import { DEFAULT_THRESHOLDS } from '../diagnostics/verdict.js';
import { GradlabError } from '../errors.js';
import { type Activation, activationNames, type Thresholds } from '../spec/schema.js';

/** The part of a tfjs-layers `LayersModel` the monitor uses (no dependency on tfjs-layers). */
export interface LayersModelLike {
  readonly layers: readonly {
    readonly name: string;
    readonly trainableWeights: readonly { readonly name: string; read(): tf.Tensor }[];
    apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): unknown;
    getConfig(): Record<string, unknown>;
  }[];
}

/** A layer to watch: a kernel, an optional bias, other parameters, and its activation. */
export interface MonitoredLayer {
  readonly name: string;
  readonly kernel: tf.Variable;
  readonly bias?: tf.Variable | null;
  readonly extra?: readonly tf.Variable[];
  readonly activation?: Activation | null;
}

export interface MonitorStepOptions {
  /** Computes the loss from the current variables (any tfjs code). */
  readonly lossFn?: () => tf.Scalar;
  /**
   * Alternatively, for a Sequential-style LayersModel: a batch and a loss on (yTrue, yPred).
   * The monitor then applies the layers in order itself and also reports activation
   * statistics (mean, std, saturation, dead units) per layer.
   */
  readonly x?: tf.Tensor;
  readonly y?: tf.Tensor;
  /** tfjs's losses fit as they are (`tf.losses.meanSquaredError`); a non-scalar is averaged. */
  readonly loss?: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
  /** If given, the step also applies the gradients, and reports update/weight ratios. */
  readonly optimizer?: tf.Optimizer;
}

export interface GradientMonitor {
  readonly layers: readonly MonitoredLayer[];
  /** Computes gradients once, measures every layer, optionally updates; one read-back. */
  step(options: MonitorStepOptions): Promise<StepDiagnostics>;
}

const KERAS_ACTIVATIONS: Record<string, Activation> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  gelu: 'gelu',
};

function activationOf(config: Record<string, unknown>, className: string): Activation | null {
  if (className === 'LeakyReLU') return 'leaky-relu';
  const a = config.activation;
  if (typeof a === 'string')
    return (
      KERAS_ACTIVATIONS[a] ??
      ((activationNames as readonly string[]).includes(a) ? (a as Activation) : null)
    );
  return null;
}

/** The layers of a tfjs-layers model that have trainable weights, as the monitor sees them. */
export function layersOfModel(model: LayersModelLike): MonitoredLayer[] {
  const out: MonitoredLayer[] = [];
  for (const layer of model.layers) {
    // LayerVariable.read() is typed as a Tensor but returns the layer's tf.Variable.
    const weights = layer.trainableWeights.map((w) => ({
      name: w.name,
      v: w.read() as tf.Variable,
    }));
    if (weights.length === 0) continue;
    const kernel =
      weights.find((w) => /kernel|embeddings|gamma/.test(w.name)) ??
      (weights[0] as { name: string; v: tf.Variable });
    const bias = weights.find((w) => w !== kernel && /bias|beta/.test(w.name)) ?? null;
    const extra = weights.filter((w) => w !== kernel && w !== bias).map((w) => w.v);
    const className = (layer as unknown as { getClassName?: () => string }).getClassName?.() ?? '';
    out.push({
      name: layer.name,
      kernel: kernel.v,
      bias: bias?.v ?? null,
      extra,
      activation: activationOf(layer.getConfig(), className),
    });
  }
  return out;
}

function isLayersModel(m: unknown): m is LayersModelLike {
  return typeof m === 'object' && m !== null && Array.isArray((m as LayersModelLike).layers);
}

/**
 * Watches the per-layer gradients of your own tfjs model, inside your own training loop:
 *
 *   const monitor = createGradientMonitor(model);            // a tf.LayersModel, or layers
 *   const d = await monitor.step({ x, y, loss: tf.losses.meanSquaredError, optimizer });
 *   console.table(d.layers);
 *
 * The diagnostics and verdicts are those of gradlab's own runs (see StepDiagnostics).
 */
export function createGradientMonitor(
  model: LayersModelLike | readonly MonitoredLayer[],
  options: { thresholds?: Partial<Thresholds> } = {},
): GradientMonitor {
  // bias, extra and activation are optional in a MonitoredLayer; the measurements need them.
  const layers = (isLayersModel(model) ? layersOfModel(model) : [...model]).map((l) => ({
    ...l,
    bias: l.bias ?? null,
    extra: l.extra ?? [],
    activation: l.activation ?? null,
  }));
  if (layers.length === 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      'createGradientMonitor: the model has no layers with trainable weights to watch',
    );
  }
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const modelLayers = isLayersModel(model) ? model.layers : null;
  const variables = layers.flatMap((l) => [
    l.kernel,
    ...(l.bias ? [l.bias] : []),
    ...(l.extra ?? []),
  ]);
  let stepCount = 0;

  return {
    layers,
    async step(opts) {
      const sequential = opts.x !== undefined && opts.y !== undefined && opts.loss !== undefined;
      if (!opts.lossFn && !sequential) {
        throw new GradlabError(
          'INVALID_ARGUMENT',
          'monitor.step needs either `lossFn`, or `x`, `y` and `loss`',
        );
      }
      if (sequential && !modelLayers) {
        throw new GradlabError(
          'INVALID_ARGUMENT',
          'monitor.step with `x`, `y` and `loss` needs a LayersModel; with a list of layers pass `lossFn`',
        );
      }
      stepCount += 1;
      let kept: tf.Tensor | null = null;
      let actSlots: Map<string, LayerSlots> | null = null;
      let layerSlots: LayerSlots[] = [];
      let countsBase = 0;
      let lossSlot = 0;
      let globalSlot = 0;
      const measure = (): tf.Tensor1D => {
        const packer = new SummaryPacker();
        const f = (): tf.Scalar => {
          if (!sequential) return (opts.lossFn as () => tf.Scalar)();
          // Apply the layers one by one to capture each one's output (Sequential models).
          const local = new SummaryPacker();
          const slots = new Map<string, LayerSlots>();
          let h: tf.Tensor = opts.x as tf.Tensor;
          for (const layer of modelLayers as LayersModelLike['layers']) {
            h = layer.apply(h, { training: true }) as tf.Tensor;
            const watched = layers.find((l) => l.name === layer.name);
            if (watched?.activation) {
              const s = {
                activationMean: -1,
                activationStd: -1,
                saturation: -1,
                dead: -1,
              } as LayerSlots;
              // Post-activation stands in for the pre-activation: for the ReLU family,
              // f(z) <= 0 exactly when z <= 0.
              measureActivation(local, s, watched.activation, h, h);
              slots.set(layer.name, s);
            }
          }
          kept = tf.keep(local.pack());
          actSlots = slots;
          const l = (opts.loss as NonNullable<MonitorStepOptions['loss']>)(opts.y as tf.Tensor, h);
          return (l.rank === 0 ? l : tf.mean(l)) as tf.Scalar;
        };
        const { value, grads } = tf.engine().gradients(f, variables, undefined, true);
        lossSlot = packer.scalar(value);
        const gradOf = new Map<tf.Tensor, tf.Tensor>(
          variables.map((v, i) => [v, grads[i] as tf.Tensor]),
        );
        const measured = measureGradients(packer, layers as readonly MeasuredLayer[], (p) => {
          const g = gradOf.get(p);
          if (!g)
            throw new GradlabError(
              'INVALID_ARGUMENT',
              'the loss does not depend on a watched variable',
            );
          return g;
        });
        layerSlots = measured.layers;
        // The monitor is not on a hot path: count NaN/Inf on every step, in the same read-back.
        countsBase = packer.vector(
          nonFiniteCounts(layers as readonly MeasuredLayer[], (p) => gradOf.get(p) as tf.Tensor),
        );
        globalSlot = measured.globalGradNorm;
        if (kept && actSlots) {
          const base = packer.vector(kept as tf.Tensor1D);
          layers.forEach((l, i) => {
            const a = (actSlots as Map<string, LayerSlots>).get(l.name);
            const s = layerSlots[i] as LayerSlots;
            if (!a) return;
            for (const k of ['activationMean', 'activationStd', 'saturation', 'dead'] as const)
              s[k] = a[k] < 0 ? -1 : base + a[k];
          });
        }
        if (opts.optimizer) {
          const before = layers.map((l) => tf.clone(l.kernel));
          opts.optimizer.applyGradients(
            variables.map((v, i) => ({ name: v.name, tensor: grads[i] as tf.Tensor })),
          );
          layers.forEach((l, i) => {
            (layerSlots[i] as LayerSlots).update = packer.scalar(
              l2Norm(tf.sub(l.kernel, before[i] as tf.Tensor)),
            );
          });
        }
        return packer.pack();
      };
      let summary: tf.Tensor1D;
      try {
        summary = tf.tidy(measure);
      } catch (e) {
        // The tidy disposed its own tensors; the kept activation statistics are ours.
        (kept as tf.Tensor | null)?.dispose();
        throw e;
      }
      try {
        const values = await summary.data();
        const nonFinite = values.subarray(countsBase, countsBase + layers.length);
        const layerDiags = decodeLayers(
          values,
          layers.map((l) => l.name),
          layerSlots,
          thresholds,
          nonFinite,
        );
        const loss = values[lossSlot] as number;
        const { verdict, evidence } = judgeStep(layerDiags, null, loss, thresholds, {
          signalUnit: 'layers',
          // A user's own model may have skips gradlab cannot see: unit evidence is still shown.
          skipConnections: false,
        });
        return {
          step: stepCount,
          full: true,
          loss,
          accuracy: null,
          globalGradNorm: values[globalSlot] as number,
          layers: layerDiags,
          signal: null,
          telemetry: {},
          verdict,
          evidence,
        };
      } finally {
        summary.dispose();
        (kept as tf.Tensor | null)?.dispose();
      }
    },
  };
}
