import type { StepDiagnostics } from '@gradlab/core';
import Table from 'cli-table3';
import { logSparkline, paintVerdict, pct, sci } from './style.js';

/**
 * The per-layer gradient table, input side first (the order the gradient arrives in last):
 * gradient norm, its ratio to the last layer (the gradient-flow profile), gradient/weight and
 * update/weight ratios, activation spread, saturation and dead units, verdict.
 */
export function layerTable(d: StepDiagnostics, color: boolean): string {
  const table = new Table({
    head: [
      'layer',
      'grad norm',
      'ratio to last',
      'grad/weight',
      'update/weight',
      'act std',
      'saturated',
      'dead',
      'verdict',
    ],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    // No rule between rows: deep networks have dozens of them.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const l of d.layers) {
    table.push([
      l.name,
      sci(l.gradNorm),
      sci(l.ratioToLast),
      sci(l.gradToWeight),
      sci(l.updateToWeight),
      l.activationStd === null ? '-' : l.activationStd.toPrecision(3),
      pct(l.saturation),
      pct(l.deadFraction),
      paintVerdict(color, l.verdict),
    ]);
  }
  return table.toString();
}

/** One line for the backpropagated signal: per layer (MLP) or per time step (recurrent). */
export function signalLine(d: StepDiagnostics, color: boolean): string | null {
  const s = d.signal;
  if (!s || s.norms.length < 2) return null;
  const first = s.labels[0];
  const last = s.labels[s.labels.length - 1];
  return `||dL/dh|| from ${first} to ${last}: ${logSparkline(s.norms)}  ${sci(s.norms[0] as number)} -> ${sci(s.norms[s.norms.length - 1] as number)} (ratio ${sci(s.ratioFirstToLast)}, ${paintVerdict(color, s.verdict)})`;
}
