/** The four health states of a gradient, from best to worst. */
export type Verdict = 'healthy' | 'vanishing' | 'exploding' | 'non-finite';

export const VERDICT_SEVERITY: Readonly<Record<Verdict, number>> = {
  healthy: 0,
  vanishing: 1,
  exploding: 2,
  'non-finite': 3,
};

export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'healthy';
  for (const v of verdicts) if (VERDICT_SEVERITY[v] > VERDICT_SEVERITY[worst]) worst = v;
  return worst;
}

/**
 * One layer at one step. Norms are L2 (Frobenius) norms over the whole tensor. Fields that a
 * step did not measure (activation statistics between full-diagnostic steps, saturation of an
 * unbounded activation) are null.
 */
export interface LayerDiagnostics {
  readonly name: string;
  /** ||dL/dW|| of the layer's kernel. */
  readonly gradNorm: number;
  /** ||dL/db||, or null for a layer without bias. */
  readonly biasGradNorm: number | null;
  /** ||W|| (full-diagnostic steps; null between them, where it would double the cost). */
  readonly weightNorm: number | null;
  /** ||dL/dW|| / ||W|| (full-diagnostic steps). */
  readonly gradToWeight: number | null;
  /** gradNorm divided by the last (output) layer's gradNorm: the gradient-flow profile. */
  readonly ratioToLast: number;
  /** ||W_after - W_before|| / ||W_before|| of this step's update. */
  readonly updateToWeight: number | null;
  readonly activationMean: number | null;
  readonly activationStd: number | null;
  /** Fraction of activations whose local slope is under 5% of the activation's maximum slope. */
  readonly saturation: number | null;
  /** Fraction of units whose pre-activation is <= 0 for every example of the batch. */
  readonly deadFraction: number | null;
  /** NaN and Inf entries in the layer's gradients. */
  readonly nonFinite: number;
  readonly verdict: Verdict;
}

/** Backpropagated signal ||dL/dh|| at each hidden layer (MLP) or time step (recurrent). */
export interface SignalProfile {
  readonly labels: readonly string[];
  readonly norms: readonly number[];
  /** The first point's norm over the last point's: < vanishingRatio means the signal vanished. */
  readonly ratioFirstToLast: number;
  readonly verdict: Verdict;
}

/** The kinds of evidence a verdict weighs (see evidence.ts for the rules). */
export type EvidenceSource =
  | 'weight-gradient'
  | 'backward-signal'
  | 'forward-activations'
  | 'grad-to-weight'
  | 'dead-units'
  | 'saturation'
  | 'loss';

/** One finding that is not healthy: what was measured, where, and how it reads. */
export interface Evidence {
  readonly verdict: Exclude<Verdict, 'healthy'>;
  readonly source: EvidenceSource;
  /** The layer (or first signal point) it concerns; null for the loss. */
  readonly layer: string | null;
  /** The decisive figure: a norm, a ratio or a fraction (see `summary` for which). */
  readonly value: number;
  /** One line for people, e.g. "backward signal ||dL/dh|| first/last 6.0e-5 over 29 layers". */
  readonly summary: string;
}

export interface StepDiagnostics {
  readonly step: number;
  /** True on full-diagnostic steps; false on steps that measured only the gradient norms. */
  readonly full: boolean;
  readonly loss: number;
  /** Classification accuracy on the batch (full steps of classification runs). */
  readonly accuracy: number | null;
  /** Norm of all gradients together, before any gradient transform. */
  readonly globalGradNorm: number;
  readonly layers: readonly LayerDiagnostics[];
  readonly signal: SignalProfile | null;
  /** Scalars reported by gradient transforms (for example the pre-clip norm). */
  readonly telemetry: Readonly<Record<string, number>>;
  /** The worst verdict of all the evidence. */
  readonly verdict: Verdict;
  /** Every finding that is not healthy, worst first: what produced the verdict. */
  readonly evidence: readonly Evidence[];
}

/** Where and when a problem was first seen in a run. */
export interface FirstProblem {
  readonly verdict: Exclude<Verdict, 'healthy'>;
  readonly step: number;
  /**
   * Layer name (weight gradients, activations, units), "signal" for the backpropagated signal
   * profile, or "loss".
   */
  readonly layer: string;
  /** Which evidence showed it (absent in records written before evidence was recorded). */
  readonly source?: EvidenceSource;
  /** The evidence in words, as the step's verdict explains it. */
  readonly summary?: string;
}
