import type { FirstProblem } from '@gradlab/core';
import type { RunRecord } from '@gradlab/core/node';
import { powerOfTen, sci } from './data.js';

const VERB: Record<FirstProblem['verdict'], string> = {
  vanishing: 'vanished',
  exploding: 'exploded',
  'non-finite': 'became non-finite',
};

/** One plain-text sentence for where and when a problem first appeared. */
export function describeProblem(record: RunRecord, p: FirstProblem): string {
  const row = record.metrics.find((m) => m.step === p.step);
  const verb = VERB[p.verdict];
  if (p.layer === 'loss') return `the loss ${verb} at step ${p.step}`;
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
    // Smaller than float32 can hold: the product of the per-layer factors underflowed.
    return `${p.layer} ${verb} from step ${p.step}: its gradient underflowed to exactly 0`;
  }
  const share =
    p.verdict === 'exploding'
      ? `${powerOfTen(l.ratioToLast)} times the last layer's`
      : `${powerOfTen(l.ratioToLast)} of the last layer's`;
  return `${p.layer} ${verb} from step ${p.step}: gradient norm ${sci(l.gradNorm)}, ${share}`;
}

/** The verdict in words: the end state, the worst seen, and each first problem. */
export function verdictSummary(record: RunRecord): { headline: string; problems: string[] } {
  const r = record.manifest.result;
  const at = r.final ? ` at the last full step (step ${r.final.step})` : '';
  const worst =
    r.worstVerdict !== r.verdict ? `; worst seen during the run: ${r.worstVerdict}` : '';
  const problems = r.firstProblems.map((p) => describeProblem(record, p));
  const headline =
    problems.length === 0
      ? `Verdict: ${r.verdict}${at}. Every layer's gradient stayed within the thresholds at every step.`
      : `Verdict: ${r.verdict}${at}${worst}.`;
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
    sentence: `From the output layer back to the first, the gradient norm changes by a factor of ${factor.toPrecision(3)} per layer on average (10^${log >= 0 ? '+' : ''}${log.toFixed(2)}), over ${layers.length - 1} layers.`,
  };
}
