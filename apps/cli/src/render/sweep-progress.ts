import type { SweepEvent } from '@gradlab/sweep';
import cliProgress from 'cli-progress';
import { formatEta } from './eta.js';
import { paintVerdict } from './style.js';
import { cellLabel } from './sweep-labels.js';

export interface SweepProgress {
  readonly onEvent: (e: SweepEvent) => void;
  stop(): void;
}

const firstLine = (s: string | null) => (s ?? '').split('\n')[0] ?? '';

/** "12 s" from now, extrapolated from the cells finished so far; "--" before the first. */
function eta(startedAt: number, finished: number, remaining: number): string {
  if (finished === 0) return '--';
  const s = (((performance.now() - startedAt) / finished) * remaining) / 1000;
  return `${Math.round(s)} s`;
}

/**
 * The one progress display of a sweep, on stderr. On a terminal, a bar: cells finished of
 * those to run, failed, running, ETA and the latest cell's verdict. Elsewhere (logs, pipes)
 * one line per finished cell with its verdict and the ETA.
 */
export function sweepProgress(
  stream: NodeJS.WriteStream,
  total: number,
  axes: readonly string[],
  color: boolean,
): SweepProgress {
  const startedAt = performance.now();
  let finished = 0;
  let failed = 0;
  let running = 0;
  const describe = (e: Extract<SweepEvent, { type: 'finish' }>) => {
    const label = cellLabel(e.cell.params, axes);
    const entry = e.entry;
    if (entry.status !== 'done') return `${label}: FAILED: ${firstLine(entry.error)}`;
    const loss = entry.finalLoss === null ? '-' : entry.finalLoss.toPrecision(4);
    const time = entry.seconds === null ? '' : ` (${entry.seconds.toFixed(1)} s)`;
    return `${label}: ${paintVerdict(color, entry.verdict ?? 'healthy')}, loss ${loss}${time}`;
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          ' {bar} {value}/{total} cells | {failed} failed | {running} running | ETA {eta_formatted} | {latest}',
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
        const latest = e.type === 'finish' ? describe(e) : undefined;
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
      stream.write(`[${finished}/${total}] ${describe(e)}${after}\n`);
      if (e.warning) stream.write(`  warning: ${e.warning}\n`);
    },
    stop() {},
  };
}
