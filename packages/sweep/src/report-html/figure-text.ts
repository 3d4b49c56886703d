import { sci } from '@gradlab/report/charts';
import type { GroupFigure, GroupVerdict } from './aggregate.js';

/** What a heatmap cell says inside it: short enough for a 60-pixel cell. */
export function shortText(f: GroupFigure | GroupVerdict): string {
  switch (f.kind) {
    case 'finite':
      return sci(f.mean);
    case 'non-finite':
      return 'NaN/Inf';
    case 'not measured':
      return '-';
    case 'no result':
      return f.status;
    case 'verdict':
      return f.verdict;
  }
}

/** The same in full, for the cell's tooltip and the seeds table: the mean and its spread. */
export function longText(f: GroupFigure | GroupVerdict): string {
  switch (f.kind) {
    case 'finite':
      return f.seeds === 1
        ? sci(f.mean)
        : `mean ${sci(f.mean)} over ${f.seeds} seeds (min ${sci(f.min)}, max ${sci(f.max)})`;
    case 'non-finite':
      return `NaN or Inf in ${f.nonFinite} of ${f.seeds} seeds`;
    case 'not measured':
      return 'not measured';
    case 'no result':
      return f.status === 'failed' ? 'no result: failed' : 'no result yet: pending';
    case 'verdict':
      return f.verdicts.length === 1
        ? f.verdict
        : `worst of ${f.verdicts.length} seeds: ${f.verdict} (${f.verdicts.join(', ')})`;
  }
}

/** For a table column: the mean and, over several seeds, its min to max. */
export function spreadText(f: GroupFigure): string {
  return f.kind === 'finite' && f.seeds > 1
    ? `${sci(f.mean)} (${sci(f.min)} to ${sci(f.max)})`
    : longText(f);
}
