import { verdictPoints } from '../diagnostics/evidence.js';
import type { FirstProblem, StepDiagnostics, Verdict } from '../diagnostics/types.js';
import { worstVerdict } from '../diagnostics/types.js';

export interface VerdictChange {
  readonly step: number;
  readonly layer: string;
  readonly from: Verdict;
  readonly to: Verdict;
}

/**
 * What a run's result says about its steps' verdicts (the worst, the first appearance of each
 * problem), accumulated step by step. The run and the recovery of a record from its
 * metrics.jsonl (record/recover.ts) both use it, so a recovered run.json says what the run's own
 * would have.
 */
export function problemTracker() {
  const firstProblems: FirstProblem[] = [];
  const seen = new Set<Verdict>();
  const layerVerdicts = new Map<string, Verdict>();
  let worst: Verdict = 'healthy';
  return {
    firstProblems: firstProblems as readonly FirstProblem[],
    get worst(): Verdict {
      return worst;
    },
    /** A step without diagnostics whose loss is not finite. */
    nonFinite(): void {
      worst = 'non-finite';
    },
    /** Notes a step's diagnostics; returns the per-layer verdict changes it brought. */
    note(d: StepDiagnostics): VerdictChange[] {
      worst = worstVerdict([worst, d.verdict]);
      const changes: VerdictChange[] = [];
      for (const [layer, v, found] of verdictPoints(d)) {
        if (v !== 'healthy' && !seen.has(v)) {
          seen.add(v);
          firstProblems.push({
            verdict: v,
            step: d.step,
            layer: found?.source === 'backward-signal' ? 'signal' : (found?.layer ?? layer),
            ...(found ? { source: found.source, summary: found.summary } : {}),
          });
        }
        const before = layerVerdicts.get(layer) ?? 'healthy';
        if (before !== v) changes.push({ step: d.step, layer, from: before, to: v });
        layerVerdicts.set(layer, v);
      }
      return changes;
    },
  };
}

/** The median step time a run reports: without the first step, which compiles kernels. */
export function medianStepMs(stepTimes: readonly number[]): number | null {
  return median(stepTimes.slice(1)) ?? median(stepTimes);
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
