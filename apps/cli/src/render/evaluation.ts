import { formatNumber, formatPercent, type RunResult } from '@gradlab/core';
import { pct, sci } from './style.js';

type Evaluation = NonNullable<RunResult['evaluation']>;

/** Three significant digits (core's `formatNumber`): MSEs here sit between about 1e-5 and 1. */
const short = (x: number): string => formatNumber(x);

/**
 * A share in percent: whole percents from 10% up (core's `formatPercent`), two significant
 * digits below (core's `formatNumber` of the percentage), so a good fit reads 0.26%, not 0.3%.
 */
const percent = (x: number): string =>
  x >= 0.1 ? formatPercent(x, { decimals: 0 }) : `${formatNumber(100 * x, { digits: 2 })}%`;

/**
 * The inference-mode evaluation in one line. Where the data generator has a closed-form
 * predict-the-mean MSE (the adding problem), the loss is shown beside it: an MSE means nothing
 * on its own, and one near the baseline says the network learned nothing from its input.
 */
export function evaluationLine(e: Evaluation): string {
  const head = `evaluation (inference mode, ${e.samples} examples): `;
  if (e.baseline !== null) {
    const share = Number.isFinite(e.loss) ? `, ${percent(e.loss / e.baseline)} of it` : '';
    return `${head}final MSE ${short(e.loss)} (predict-the-mean baseline ${short(e.baseline)}${share})`;
  }
  const acc = e.accuracy === null ? '' : `, accuracy ${pct(e.accuracy)}`;
  return `${head}loss ${sci(e.loss)}${acc}`;
}
