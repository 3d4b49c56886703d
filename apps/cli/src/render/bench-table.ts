import { formatPercent } from '@gradlab/core';
import type { BenchRow, BenchSweepRow } from '../bench-rows.js';
import type { FitColumn } from './fit-table.js';

const ratio = (r: number | null) => (r === null ? '-' : `${r.toFixed(2)}x`);
/** A signed percentage: +12.3%, -4.0%; '-' when not measured. */
const overhead = (r: number | null) => {
  const text = formatPercent(r);
  return r === null || text.startsWith('-') ? text : `+${text}`;
};

/**
 * `gradlab bench`'s table. What it is for, the time per step of each backend and mode (and,
 * with --vs pytorch, its ratio to PyTorch's), always shows; on a narrow terminal the
 * description of each mode goes first (the mode's name stays), then the overhead over bare.
 */
export function benchColumns(withPytorch: boolean): FitColumn<BenchRow>[] {
  return [
    { head: 'backend', cell: (r) => r.backend },
    { head: 'mode', cell: (r) => r.mode },
    {
      head: 'ms/step (median)',
      short: 'ms/step',
      align: 'right',
      cell: (r) => r.msPerStep.toFixed(r.msPerStep < 10 ? 2 : 1),
    },
    { head: 'vs bare', align: 'right', cell: (r) => overhead(r.overhead), drop: 2 },
    ...(withPytorch
      ? [{ head: 'vs PyTorch', align: 'right' as const, cell: (r: BenchRow) => ratio(r.vsPytorch) }]
      : []),
    { head: 'what is measured', short: 'what', cell: (r) => r.what, drop: 1 },
  ];
}

/**
 * `gradlab bench --sweep`'s table: the time and speed-up of each worker count always show; on
 * a narrow terminal the single samples go first, then cells per second.
 */
export function benchSweepColumns(base: number): FitColumn<BenchSweepRow>[] {
  return [
    { head: 'workers', align: 'right', cell: (r) => String(r.workers) },
    { head: 'median s', align: 'right', cell: (r) => r.seconds.toFixed(2) },
    {
      head: `speed-up vs ${base}`,
      short: 'speed-up',
      align: 'right',
      cell: (r) => `${r.speedup.toFixed(2)}x`,
    },
    {
      head: 'machine ceiling',
      short: 'ceiling',
      align: 'right',
      cell: (r) => (Number.isFinite(r.ceiling) ? `${r.ceiling.toFixed(2)}x` : '-'),
      drop: 3,
    },
    { head: 'cells/s', align: 'right', cell: (r) => r.cellsPerSecond.toFixed(2), drop: 2 },
    {
      head: 'samples (s)',
      cell: (r) => r.samples.map((s) => s.toFixed(2)).join(', '),
      drop: 1,
    },
  ];
}
