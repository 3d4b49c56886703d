import { GradlabError } from '../errors.js';
import { formatNumber } from '../format/number.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { formatBytes } from './bytes.js';
import { type BudgetEstimate, estimateBudget, NOMINAL_FLOPS_PER_SECOND } from './estimate.js';

/** A memory limit and where it came from, for the message that cites it. */
export interface MemoryLimit {
  readonly bytes: number;
  /** "GRADLAB_MAX_MEMORY=4GiB", "75% of this machine's 16.0 GiB"... */
  readonly source: string;
}

/** Two significant digits, core's one number format: 50, 1200, 6.7e10. */
const sci = (n: number) => formatNumber(n, { digits: 2 });

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toPrecision(2)} s`;
  if (seconds < 2 * 3600) return `${(seconds / 60).toPrecision(2)} min`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toPrecision(2)} h`;
  return `${(seconds / 86400).toPrecision(2)} days`;
}

/** One line of what a run will hold and cost. */
export function describeBudget(e: BudgetEstimate): string {
  const b = e.bytes;
  return (
    `about ${formatBytes(b.total)} (${sci(e.parameters)} parameters: weights ${formatBytes(b.parameters)}, ` +
    `gradients ${formatBytes(b.gradients)}, optimiser and update copies ${formatBytes(b.optimizer)}; ` +
    `activations ${formatBytes(b.activations)}; data ${formatBytes(b.data)}), ` +
    `${sci(e.flopsPerStep)} FLOP per step, about ${duration(e.nominalSeconds)} at ${sci(NOMINAL_FLOPS_PER_SECOND)} FLOP/s`
  );
}

/** Why this spec does not fit the limit, or null when it does. */
export function budgetProblem(spec: ExperimentSpec, limit: MemoryLimit): string | null {
  const estimate = estimateBudget(spec);
  if (estimate.bytes.total <= limit.bytes) return null;
  return `needs ${describeBudget(estimate)}; the limit is ${formatBytes(limit.bytes)} (${limit.source})`;
}

/**
 * Throws OVER_BUDGET when the spec's estimate exceeds the limit: called before anything is
 * allocated or written, so an impossible run fails in a second instead of swapping the machine
 * to a halt and leaving a partial run directory behind.
 */
export function assertWithinBudget(
  spec: ExperimentSpec,
  limit: MemoryLimit,
  what = 'the run',
): void {
  const problem = budgetProblem(spec, limit);
  if (problem === null) return;
  throw new GradlabError(
    'OVER_BUDGET',
    `${what} is over the memory limit: it ${problem}. Make it smaller (model.depth, model.width or model.hiddenSize, training.batchSize, data.samples), or raise the limit with GRADLAB_MAX_MEMORY if the machine has the memory. Nothing was written.`,
    [problem],
  );
}
