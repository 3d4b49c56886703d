import { formatNumber } from '@gradlab/core';
import type { SweepEntry } from '@gradlab/sweep';
import { type FitColumn, fitTable } from './fit-table.js';
import { paintVerdict, pct } from './style.js';
import { cellLabel, paramText } from './sweep-labels.js';
import { fitLine, outputWidth } from './width.js';

export interface SweepSummary {
  readonly name: string;
  readonly out: string;
  readonly entries: readonly SweepEntry[];
  /** The params that vary: the table's first columns. */
  readonly axes: readonly string[];
  readonly ran: number;
  readonly kept: number;
  readonly seconds: number;
  readonly cancelled: boolean;
}

/** Past this many cells the table would scroll the summary away: sweep.json has them all. */
const MAX_TABLE_ROWS = 40;
const MAX_FAILURES = 10;

/**
 * The cells' table. A narrow one shortens the headings, then drops accuracy, then final loss:
 * the axes, the verdict and the status always stay.
 */
function table(s: SweepSummary, color: boolean, width: number | null): string {
  const columns: FitColumn<SweepEntry>[] = [
    ...s.axes.map((a): FitColumn<SweepEntry> => ({ head: a, cell: (e) => paramText(e.params[a]) })),
    { head: 'verdict', cell: (e) => (e.verdict ? paintVerdict(color, e.verdict) : '-') },
    {
      head: 'final loss',
      short: 'loss',
      align: 'right',
      cell: (e) => formatNumber(e.finalLoss, { digits: 4 }),
      drop: 2,
    },
    {
      head: 'accuracy',
      short: 'acc.',
      align: 'right',
      cell: (e) => pct(e.accuracy),
      drop: 1,
    },
    { head: 'status', cell: (e) => (e.status === 'failed' ? 'FAILED' : e.status) },
  ];
  return fitTable(columns, s.entries, color, width);
}

/** What a person reads when the sweep ends: the cells, the counts, failures, where it all is. */
export function sweepSummaryText(
  s: SweepSummary,
  color: boolean,
  withTable: boolean,
  width: number | null = outputWidth(),
): string {
  const count = (status: SweepEntry['status']) =>
    s.entries.filter((e) => e.status === status).length;
  const done = count('done');
  const failed = count('failed');
  const left = s.entries.length - done - failed;
  const verdicts = new Map<string, number>();
  for (const e of s.entries) {
    if (e.status === 'done' && e.verdict)
      verdicts.set(e.verdict, (verdicts.get(e.verdict) ?? 0) + 1);
  }
  const byVerdict = [...verdicts].map(([v, n]) => `${n} ${v}`).join(', ');
  const lines: string[] = [];
  if (withTable && s.entries.length <= MAX_TABLE_ROWS) lines.push(table(s, color, width));
  const prose = (line: string) => lines.push(fitLine(line, width));
  prose(
    `${s.name}: ${done} of ${s.entries.length} cells done${byVerdict ? ` (${byVerdict})` : ''}, ${failed} failed${left > 0 ? `, ${left} still to run` : ''}`,
  );
  prose(
    `${s.ran} cells ran now in ${s.seconds.toFixed(1)} s; ${s.kept} kept from before${s.cancelled ? '; stopped: run the same command again to go on' : ''}`,
  );
  const failures = s.entries.filter((e) => e.status === 'failed');
  if (failures.length > 0) {
    prose('failed cells (run the command again with --retry-failed to retry them):');
    for (const e of failures.slice(0, MAX_FAILURES)) {
      prose(`  ${e.id} ${cellLabel(e.params, s.axes)}: ${e.error ?? 'failed'}`);
    }
    if (failures.length > MAX_FAILURES)
      lines.push(`  ... and ${failures.length - MAX_FAILURES} more in sweep.json`);
  }
  // Wrapped before the directory, never inside it: it is there to be copied.
  prose(`sweep.json and each cell's run record (cells/<id>): ${s.out}`);
  return `${lines.join('\n')}\n`;
}
