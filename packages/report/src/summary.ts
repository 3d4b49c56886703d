import type { RunRecord } from '@gradlab/core';
import { type EvidenceSource, evidenceSummary, type FirstProblem } from '@gradlab/core';
import { normText, powerOfTen, sci } from './data.js';

const VERB: Record<FirstProblem['verdict'], string> = {
  vanishing: 'vanished',
  exploding: 'exploded',
  'non-finite': 'became non-finite',
};

const SUBJECT: Record<EvidenceSource, string> = {
  'weight-gradient': 'a weight gradient',
  'backward-signal': 'the backpropagated signal',
  'forward-activations': 'the forward activations',
  'grad-to-weight': 'the gradient relative to the weights',
  'dead-units': 'the units (dead)',
  saturation: 'the units (saturated)',
  loss: 'the loss',
};

/** One plain-text sentence for where and when a problem first appeared. */
export function describeProblem(record: RunRecord, p: FirstProblem): string {
  const row = record.metrics.find((m) => m.step === p.step);
  const verb = VERB[p.verdict];
  if (p.layer === 'loss') return `the loss ${verb} at step ${p.step}`;
  // Evidence other than a layer's weight gradient says itself what it measured.
  if (p.source && p.source !== 'weight-gradient' && p.summary) {
    return `${SUBJECT[p.source]} ${verb} from step ${p.step}: ${p.summary}`;
  }
  if (p.layer === 'signal') {
    const s = row?.signal;
    const detail = s
      ? `: ||dL/dh|| at the first point is ${powerOfTen(s.ratioFirstToLast)} of the last's`
      : '';
    return `the backpropagated signal ${verb} from step ${p.step}${detail}`;
  }
  const l = row?.layers.find((x) => x.name === p.layer);
  if (!l) return `${p.layer} ${verb} from step ${p.step}`;
  if (p.verdict === 'non-finite') {
    return `${p.layer} ${verb} at step ${p.step}: ${l.nonFinite} NaN or Inf gradient entries`;
  }
  if (l.gradNorm === 0) {
    // Norms are scale-safe, so 0 means every float32 entry was 0 (underflow inside
    // backpropagation itself, or dead units).
    return `${p.layer} ${verb} from step ${p.step}: every entry of its float32 gradient is exactly 0`;
  }
  const share =
    p.verdict === 'exploding'
      ? `${powerOfTen(l.ratioToLast)} times the last layer's`
      : `${powerOfTen(l.ratioToLast)} of the last layer's`;
  return `${p.layer} ${verb} from step ${p.step}: gradient norm ${normText(l.gradNorm)}, ${share}`;
}

/** The verdict in words: the end state, the worst seen, and each first problem. */
export function verdictSummary(record: RunRecord): { headline: string; problems: string[] } {
  const r = record.manifest.result;
  const at = r.final ? ` at the last full step (step ${r.final.step})` : '';
  const worst =
    r.worstVerdict !== r.verdict ? `; worst seen during the run: ${r.worstVerdict}` : '';
  const problems = r.firstProblems.map((p) => describeProblem(record, p));
  // Records written before evidence was recorded have none: the headline then says less.
  const because = r.final ? evidenceSummary(r.verdict, r.final.evidence ?? []) : null;
  const why = because === null ? '' : `, from: ${because}`;
  const headline =
    problems.length === 0
      ? `Verdict: ${r.verdict}${at}. Every measure (weight gradients, backpropagated signal, activations, gradient/weight ratios, dead and saturated units) stayed within the thresholds at every step.`
      : `Verdict: ${r.verdict}${at}${why}${worst}.`;
  return { headline, problems };
}

/**
 * The gradient's average change per layer at the last full step, from the output layer back to
 * the first: (first / last)^(1 / (layers - 1)), the geometric mean of the per-layer factors.
 * Null for fewer than two layers or a zero, non-finite first norm.
 */
export function slopePerLayer(record: RunRecord): { factor: number; sentence: string } | null {
  const layers = record.manifest.result.final?.layers ?? [];
  const first = layers[0];
  if (
    layers.length < 2 ||
    !first ||
    !(first.ratioToLast > 0) ||
    !Number.isFinite(first.ratioToLast)
  )
    return null;
  const factor = first.ratioToLast ** (1 / (layers.length - 1));
  const log = Math.log10(factor);
  return {
    factor,
    sentence: `From the output layer back to the first, the gradient norm changes by a factor of ${sci(factor)} per layer on average (10^${log >= 0 ? '+' : ''}${log.toFixed(2)}), over ${layers.length - 1} layers.`,
  };
}
