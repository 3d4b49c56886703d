import type { SweepEvent } from '@gradlab/sweep';
import cliProgress from 'cli-progress';
import { type BarVariant, barLayout } from './bar-layout.js';
import { formatEta } from './eta.js';
import { latestCellText } from './sweep-latest.js';
import { fitLine, outputWidth } from './width.js';

export interface SweepProgress {
  readonly onEvent: (e: SweepEvent) => void;
  stop(): void;
}

/** The room the latest cell is promised before the bar grows: a short label and its verdict. */
const LATEST = 30;
/** cli-progress's widest ETA ("123h59m"), and "--" before it has one. */
const ETA = 8;

/**
 * The sweep bar's ways to fit a narrow terminal, each with less than the one before: the
 * running count goes first, then the word "cells", then the bar. The cells done, the failures,
 * the ETA and the latest cell's verdict always stay (the latest cell's own order is in
 * latestCellText).
 */
export function sweepBarVariants(total: number): BarVariant[] {
  const n = String(total).length;
  const tail = ' | ETA {eta_formatted} | {latest}';
  const tailText = ' | ETA '.length + ETA + ' | '.length + LATEST;
  const counts = 2 * n + 1 + ' | '.length + n + ' failed'.length;
  return [
    {
      format: ` {bar} {value}/{total} cells | {failed} failed | {running} running${tail}`,
      widestText: counts + ' cells'.length + ' | '.length + n + ' running'.length + tailText,
      flexible: LATEST,
    },
    {
      format: ` {bar} {value}/{total} cells | {failed} failed${tail}`,
      widestText: counts + ' cells'.length + tailText,
      flexible: LATEST,
    },
    {
      format: ` {bar} {value}/{total} | {failed} failed${tail}`,
      widestText: counts + tailText,
      flexible: LATEST,
    },
  ];
}

/** "12 s" from now, extrapolated from the cells finished so far; "--" before the first. */
function eta(startedAt: number, finished: number, remaining: number): string {
  if (finished === 0) return '--';
  const s = (((performance.now() - startedAt) / finished) * remaining) / 1000;
  return `${Math.round(s)} s`;
}

/**
 * The one progress display of a sweep, on stderr, within the terminal's width (or COLUMNS).
 * On a terminal, a bar: cells finished of those to run, failed, running, ETA and the latest
 * cell's verdict. Elsewhere (logs, pipes) one line per finished cell with its verdict and the
 * ETA, the cell's details cut the same way where COLUMNS is set.
 */
export function sweepProgress(
  stream: NodeJS.WriteStream,
  total: number,
  axes: readonly string[],
  color: boolean,
): SweepProgress {
  const startedAt = performance.now();
  const width = outputWidth(stream);
  let finished = 0;
  let failed = 0;
  let running = 0;
  if (stream.isTTY) {
    const layout = barLayout(sweepBarVariants(total), width);
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: layout.format,
        barsize: layout.barsize,
        formatTime: formatEta,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0, running: 0, latest: 'starting workers' });
    return {
      onEvent(e) {
        if (e.type === 'start') running++;
        else {
          running--;
          finished++;
          if (e.entry.status !== 'done') failed++;
        }
        const latest =
          e.type === 'finish' ? latestCellText(e, axes, layout.flexRoom, color) : undefined;
        bar.update(finished, { failed, running, ...(latest ? { latest } : {}) });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    onEvent(e) {
      if (e.type !== 'finish') return;
      finished++;
      const left = total - finished;
      const after = left > 0 ? `  ETA ${eta(startedAt, finished, left)}` : '';
      const before = `[${finished}/${total}] `;
      const room = width === null ? null : width - before.length - after.length;
      stream.write(`${before}${latestCellText(e, axes, room, color)}${after}\n`);
      if (e.warning) stream.write(`${fitLine(`  warning: ${e.warning}`, width, '    ')}\n`);
    },
    stop() {},
  };
}
