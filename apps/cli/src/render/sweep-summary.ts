import type { SweepEntry } from '@gradlab/sweep';
import Table from 'cli-table3';
import { paintVerdict } from './style.js';
import { cellLabel, paramText } from './sweep-labels.js';

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

function table(s: SweepSummary, color: boolean): string {
  const t = new Table({
    head: [...s.axes, 'verdict', 'final loss', 'accuracy', 'status'],
    colAligns: [...s.axes.map(() => 'left' as const), 'left', 'right', 'right', 'left'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const e of s.entries) {
    t.push([
      ...s.axes.map((a) => paramText(e.params[a])),
      e.verdict ? paintVerdict(color, e.verdict) : '-',
      e.finalLoss === null ? '-' : e.finalLoss.toPrecision(4),
      e.accuracy === null ? '-' : `${(100 * e.accuracy).toFixed(1)}%`,
      e.status === 'failed' ? 'FAILED' : e.status,
    ]);
  }
  return t.toString();
}

/** What a person reads when the sweep ends: the cells, the counts, failures, where it all is. */
export function sweepSummaryText(s: SweepSummary, color: boolean, withTable: boolean): string {
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
  if (withTable && s.entries.length <= MAX_TABLE_ROWS) lines.push(table(s, color));
  lines.push(
    `${s.name}: ${done} of ${s.entries.length} cells done${byVerdict ? ` (${byVerdict})` : ''}, ${failed} failed${left > 0 ? `, ${left} still to run` : ''}`,
  );
  lines.push(
    `${s.ran} cells ran now in ${s.seconds.toFixed(1)} s; ${s.kept} kept from before${s.cancelled ? '; stopped: run the same command again to go on' : ''}`,
  );
  const failures = s.entries.filter((e) => e.status === 'failed');
  if (failures.length > 0) {
    lines.push('failed cells (run the command again with --retry-failed to retry them):');
    for (const e of failures.slice(0, MAX_FAILURES)) {
      lines.push(`  ${e.id} ${cellLabel(e.params, s.axes)}: ${e.error ?? 'failed'}`);
    }
    if (failures.length > MAX_FAILURES)
      lines.push(`  ... and ${failures.length - MAX_FAILURES} more in sweep.json`);
  }
  lines.push(`sweep.json and each cell's run record (cells/<id>): ${s.out}`);
  return `${lines.join('\n')}\n`;
}
