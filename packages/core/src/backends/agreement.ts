import type { StepDiagnostics } from '../diagnostics/types.js';
import { GradlabError } from '../errors.js';
import { formatNumber } from '../format/number.js';

/**
 * How two runs of the same spec on two backends compare. Two different figures, because they
 * answer different questions:
 *
 * - **step-1 gradient agreement**: at step 1 both runs hold bit-identical initial weights and
 *   the same batch, so any difference in the gradient norms is the backends' arithmetic (sum
 *   order, fused kernels, flushed subnormals) on one forward and backward pass: the correctness
 *   figure.
 * - **trajectory drift**: from step 2 on, each run trains on its own (slightly different)
 *   weights, and training amplifies the step-1 differences, chaotically when the learning rate
 *   is large. The drift says how far the runs wandered apart, and the first step at which a
 *   figure left the tolerance: it measures the training dynamics as much as the backends.
 *
 * Browser-safe (no tfjs): the CLI and the playground compare the same way.
 */

/** The relative difference beyond which two runs count as diverged. */
export const DIVERGENCE_TOLERANCE = 1e-3;

/**
 * |value - ref| / |ref|: relative to the reference backend. Equal values (zeros included) differ
 * by 0; a reference of 0 against a non-zero value differs by |value| / 5e-324 (huge, finite).
 * Non-finite values (records written to JSON hold them as null): two NaNs, or a null against any
 * non-finite value, differ by 0 (both runs blew up); a non-finite value against a finite one, or
 * +Infinity against -Infinity, differs by Infinity.
 */
export function relativeDifference(value: number | null, ref: number | null): number {
  if (value === ref) return 0;
  const badValue = value === null || !Number.isFinite(value);
  const badRef = ref === null || !Number.isFinite(ref);
  if (badValue || badRef) {
    if (!(badValue && badRef)) return Number.POSITIVE_INFINITY;
    const unknownOrNaN = (x: number | null) => x === null || Number.isNaN(x);
    return unknownOrNaN(value) || unknownOrNaN(ref) ? 0 : Number.POSITIVE_INFINITY;
  }
  return (
    Math.abs((value as number) - (ref as number)) /
    Math.max(Math.abs(ref as number), Number.MIN_VALUE)
  );
}

export interface LayerAgreement {
  readonly layer: string;
  /** Relative difference of ||dL/dW|| (the kernel's gradient). */
  readonly gradNorm: number;
  /** Relative difference of ||dL/db||, or null for a layer without bias. */
  readonly biasGradNorm: number | null;
  /** The larger of the two. */
  readonly maxRelDiff: number;
}

export interface Step1Agreement {
  /** Relative difference of the step-1 loss (the forward pass alone). */
  readonly loss: number;
  /** The largest relative difference of any layer's kernel or bias gradient norm at step 1. */
  readonly maxRelDiff: number;
  /** The layer where it is. */
  readonly worstLayer: string | null;
  readonly layers: readonly LayerAgreement[];
}

/** The first step at which a compared figure differed by more than the tolerance. */
export interface Divergence {
  readonly step: number;
  /** 'loss', or the name of the layer whose gradient norm differed the most at that step. */
  readonly quantity: string;
  /** For a layer: whether its kernel's or its bias's gradient norm differed. */
  readonly gradient?: 'kernel' | 'bias';
  readonly relDiff: number;
}

export interface TrajectoryDrift {
  readonly tolerance: number;
  /** How many steps both runs logged (matched by step number). */
  readonly steps: number;
  /** The largest relative difference of the loss over those steps. */
  readonly lossMaxRelDiff: number;
  /** The largest relative difference of any layer's kernel or bias gradient norm over those steps. */
  readonly gradNormMaxRelDiff: number;
  /** Per layer, the largest relative difference of its kernel or bias gradient norm over those steps. */
  readonly layers: readonly { readonly layer: string; readonly maxRelDiff: number }[];
  /** The first step beyond the tolerance (the loss, or a layer's kernel or bias gradient norm), or 'never'. */
  readonly firstDivergence: Divergence | 'never';
}

export interface BackendAgreement {
  /** Null when either run has no step 1 (diagnostics off, or a run that did not start). */
  readonly step1: Step1Agreement | null;
  readonly drift: TrajectoryDrift;
}

/** A step as a record holds it: non-finite numbers may have been written as null. */
type LoggedStep = Pick<StepDiagnostics, 'step' | 'loss' | 'layers'>;

/** Per layer, the relative differences of the kernel's and the bias's gradient norms. */
function layerDifferences(r: LoggedStep, o: LoggedStep): LayerAgreement[] {
  return r.layers.map((l, i) => {
    const ol = o.layers[i];
    const gradNorm = relativeDifference(ol?.gradNorm ?? null, l.gradNorm);
    const biasGradNorm =
      l.biasGradNorm === null && (ol?.biasGradNorm ?? null) === null
        ? null
        : relativeDifference(ol?.biasGradNorm ?? null, l.biasGradNorm);
    return {
      layer: l.name,
      gradNorm,
      biasGradNorm,
      maxRelDiff: Math.max(gradNorm, biasGradNorm ?? 0),
    };
  });
}

const invalid = (message: string) => new GradlabError('INVALID_ARGUMENT', message);

function checkLayers(ref: LoggedStep, other: LoggedStep): void {
  if (ref.layers.length !== other.layers.length) {
    throw invalid(
      `layers: the runs compared have different networks (step ${ref.step}: ${ref.layers.length} layers against ${other.layers.length}); compare runs of the same spec`,
    );
  }
  ref.layers.forEach((l, i) => {
    const name = other.layers[i]?.name;
    if (name !== l.name) {
      throw invalid(
        `layers[${i}].name: the runs compared have different networks ("${l.name}" against "${name}"); compare runs of the same spec`,
      );
    }
  });
}

/**
 * Compares `other` with `reference`, step by step over the steps both logged: the step-1
 * gradient agreement and the trajectory drift (see the top of this file). Steps are matched by
 * their number, layers by position (their names must agree: INVALID_ARGUMENT otherwise).
 */
export function compareBackendRuns(
  reference: readonly LoggedStep[],
  other: readonly LoggedStep[],
  tolerance = DIVERGENCE_TOLERANCE,
): BackendAgreement {
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance <= 0) {
    throw invalid(`tolerance must be a positive number (a relative difference); got ${tolerance}`);
  }
  const byStep = new Map(other.map((d) => [d.step, d]));
  const pairs = reference.flatMap((r) => {
    const o = byStep.get(r.step);
    return o ? [[r, o] as const] : [];
  });
  for (const [r, o] of pairs) checkLayers(r, o);

  const first = pairs[0];
  let step1: Step1Agreement | null = null;
  if (first && first[0].step === 1) {
    const layers = layerDifferences(first[0], first[1]);
    const worst = layers.reduce<LayerAgreement | null>(
      (w, l) => (w === null || l.maxRelDiff > w.maxRelDiff ? l : w),
      null,
    );
    step1 = {
      loss: relativeDifference(first[1].loss, first[0].loss),
      maxRelDiff: worst?.maxRelDiff ?? 0,
      worstLayer: worst?.layer ?? null,
      layers,
    };
  }

  const names = first?.[0].layers.map((l) => l.name) ?? [];
  const layerMax = names.map(() => 0);
  let lossMax = 0;
  let firstDivergence: Divergence | 'never' = 'never';
  for (const [r, o] of pairs) {
    const loss = relativeDifference(o.loss, r.loss);
    lossMax = Math.max(lossMax, loss);
    let worst: Omit<Divergence, 'step'> = { quantity: 'loss', relDiff: loss };
    layerDifferences(r, o).forEach((l, i) => {
      layerMax[i] = Math.max(layerMax[i] ?? 0, l.maxRelDiff);
      if (l.maxRelDiff > worst.relDiff) {
        const gradient = (l.biasGradNorm ?? 0) > l.gradNorm ? 'bias' : 'kernel';
        worst = { quantity: l.layer, gradient, relDiff: l.maxRelDiff };
      }
    });
    if (firstDivergence === 'never' && worst.relDiff > tolerance) {
      firstDivergence = { step: r.step, ...worst };
    }
  }
  return {
    step1,
    drift: {
      tolerance,
      steps: pairs.length,
      lossMaxRelDiff: lossMax,
      gradNormMaxRelDiff: Math.max(0, ...layerMax),
      layers: names.map((layer, i) => ({ layer, maxRelDiff: layerMax[i] ?? 0 })),
      firstDivergence,
    },
  };
}

/** "diverged beyond 1e-3 at step 37 (dense3's gradient norm)" or "stayed within 1e-3 over all 60 steps". */
export function describeDivergence(
  drift: Pick<TrajectoryDrift, 'tolerance' | 'steps' | 'firstDivergence'>,
): string {
  const tol = formatNumber(drift.tolerance);
  const d = drift.firstDivergence;
  if (d === 'never') return `stayed within ${tol} over all ${drift.steps} steps`;
  const what =
    d.quantity === 'loss'
      ? 'the loss'
      : `${d.quantity}'s ${d.gradient === 'bias' ? 'bias ' : ''}gradient norm`;
  return `diverged beyond ${tol} at step ${d.step} (${what})`;
}
