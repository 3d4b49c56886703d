import { formatNumber, type LayerDiagnostics, normKind, type StepDiagnostics } from '@gradlab/core';
import { type FitColumn, fitTable } from './fit-table.js';
import { logSparkline, normCell, paintVerdict, pct, sci } from './style.js';
import { fitLine } from './width.js';

/**
 * Every column, in the order they are shown. A narrow table keeps layer, grad norm, ratio to
 * last and verdict, and drops act std first, then dead, saturated, grad/weight, update/weight.
 */
const columns = (color: boolean): FitColumn<LayerDiagnostics>[] => [
  { head: 'layer', cell: (l) => l.name },
  { head: 'grad norm', align: 'right', cell: (l) => normCell(l.gradNorm) },
  { head: 'ratio to last', align: 'right', cell: (l) => sci(l.ratioToLast) },
  { head: 'grad/weight', align: 'right', cell: (l) => sci(l.gradToWeight), drop: 4 },
  { head: 'update/weight', align: 'right', cell: (l) => sci(l.updateToWeight), drop: 5 },
  {
    head: 'act std',
    align: 'right',
    cell: (l) => formatNumber(l.activationStd),
    drop: 1,
  },
  { head: 'saturated', align: 'right', cell: (l) => pct(l.saturation), drop: 3 },
  { head: 'dead', align: 'right', cell: (l) => pct(l.deadFraction), drop: 2 },
  { head: 'verdict', cell: (l) => paintVerdict(color, l.verdict) },
];

/**
 * The per-layer gradient table, input side first (the order the gradient arrives in last):
 * gradient norm, its ratio to the last layer (the gradient-flow profile), gradient/weight and
 * update/weight ratios, activation spread, saturation and dead units, verdict. With a `width`
 * (a terminal, or COLUMNS) it narrows as fitTable does.
 */
export function layerTable(
  d: StepDiagnostics,
  color: boolean,
  width: number | null = null,
): string {
  return fitTable(columns(color), d.layers, color, width);
}

/** One line for the backpropagated signal: per layer (MLP) or per time step (recurrent). */
export function signalLine(
  d: StepDiagnostics,
  color: boolean,
  width: number | null = null,
): string | null {
  const s = d.signal;
  if (!s || s.norms.length < 2) return null;
  const first = s.labels[0];
  const last = s.labels[s.labels.length - 1];
  return fitLine(
    `||dL/dh|| from ${first} to ${last}: ${logSparkline(s.norms)}  ${normCell(s.norms[0] as number)} -> ${normCell(s.norms[s.norms.length - 1] as number)} (ratio ${sci(s.ratioFirstToLast)}, ${paintVerdict(color, s.verdict)})`,
    width,
  );
}

/**
 * What the table's exact zeros and markers mean, for the ones it shows: a bare 0 would look
 * like a measurement of "nothing" when it says something precise about float32.
 */
export function valueNotes(d: StepDiagnostics): string[] {
  const notes: string[] = [];
  const names = (pick: (l: LayerDiagnostics) => boolean) =>
    d.layers.filter(pick).map((l) => l.name);
  const zero = names((l) => l.gradNorm === 0);
  if (zero.length > 0) {
    notes.push(
      `grad norm 0 (${zero.join(', ')}): every entry of the float32 gradient is exactly 0 (dead units, or an underflow inside backpropagation itself; gradlab's norms do not underflow).`,
    );
  }
  if (d.layers.some((l) => normKind(l.gradNorm) === 'subnormal')) {
    notes.push("<1.2e-38: below float32's normal range, so with reduced precision.");
  }
  const still = names((l) => l.updateToWeight === 0);
  if (still.length > 0) {
    const span = still.length > 3 ? `${still[0]} to ${still.at(-1)}` : still.join(', ');
    notes.push(
      `update/weight 0 (${span}): this step left those float32 weights exactly as they were (each change was below half their last bit).`,
    );
  }
  return notes;
}
