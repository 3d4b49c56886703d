import { availableParallelism } from 'node:os';
import { GradlabError, listBackends, safeProbe } from '@gradlab/core';
import type { Cell } from '@gradlab/sweep';
import { parseRedisUrl, startWorker, type WorkerEvent } from '@gradlab/sweep/queue';
import { EXIT } from '../errors.js';

export interface WorkerCommandOptions {
  readonly queue: string;
  readonly concurrency?: number;
  readonly backend?: string;
  /** Seconds a dead worker's cells stay locked before another worker takes them. */
  readonly stalledAfter?: number;
  /** No line per cell: only start, stop and problems. */
  readonly quiet?: boolean;
}

/** The cell processes import this to register the same backends as this process. */
const WORKER_SETUP = new URL('../sweep-worker-setup.js', import.meta.url).href;

/**
 * The backends a worker serves: `only` (which must be known and available here), or every
 * backend available here, plus "auto" (cells that take the best backend where they run).
 */
async function servedBackends(only: string | undefined): Promise<string[]> {
  const known = listBackends();
  if (only === 'auto') return ['auto'];
  if (only !== undefined) {
    const adapter = known.find((a) => a.name === only);
    if (!adapter) {
      throw new GradlabError(
        'UNKNOWN_BACKEND',
        `--backend ${JSON.stringify(only)}: unknown backend. Known backends: ${known.map((a) => a.name).join(', ')}, or "auto".`,
      );
    }
    const probe = await safeProbe(adapter);
    if (!probe.available) {
      throw new GradlabError(
        'BACKEND_UNAVAILABLE',
        `--backend ${only}: not available on this machine: ${probe.reason}. To fix: ${probe.hint}. Or serve the backends that are: leave out --backend.`,
      );
    }
    return [only];
  }
  const available: string[] = [];
  for (const adapter of known) {
    if ((await safeProbe(adapter)).available) available.push(adapter.name);
  }
  return [...available, 'auto'];
}

const clock = () => new Date().toTimeString().slice(0, 8);

/** "model.depth=8 mitigation=batchnorm seed=1" (the backend is said apart). */
function cellText(cell: Cell): string {
  const params = Object.entries(cell.params)
    .filter(([k]) => k !== 'backend')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const short = params.length > 70 ? `${params.slice(0, 67)}...` : params;
  return `cell ${cell.id} [${cell.backend}${short ? ` ${short}` : ''}]`;
}

/**
 * `gradlab worker --queue redis://HOST:PORT`: takes cells from the queue that `gradlab sweep
 * --queue` fills, runs each in a process of its own and sends its record back through Redis,
 * until stopped. The first Ctrl-C (or SIGTERM) lets the cells in flight finish; a second hands
 * them back to the queue at once; a third exits now (their locks lapse and other workers take
 * them over). Exit code 0 once stopped; 2 bad input.
 */
export async function workerCommand(o: WorkerCommandOptions): Promise<number> {
  const target = parseRedisUrl(o.queue);
  const backends = await servedBackends(o.backend);
  const concurrency = o.concurrency ?? availableParallelism();
  const log = (s: string) => process.stdout.write(`${clock()} ${s}\n`);
  const onEvent = (e: WorkerEvent) => {
    switch (e.type) {
      case 'start':
        if (!o.quiet) {
          log(`${cellText(e.cell)}: started${e.attempt > 1 ? ` (start ${e.attempt})` : ''}`);
        }
        break;
      case 'finish':
        if (!o.quiet) {
          const how = e.status === 'complete' ? e.verdict : `${e.status} (its record says why)`;
          log(`${cellText(e.cell)}: ${how}, ${e.seconds.toFixed(1)} s; sent back`);
        }
        break;
      case 'error':
        log(`${cellText(e.cell)}: FAILED without a record: ${e.message}`);
        break;
      case 'released':
        log(`${cellText(e.cell)}: handed back to the queue`);
        break;
      case 'disconnected':
        log(e.message);
        break;
      case 'connected':
        log(`connected to ${target.display}`);
        break;
      case 'warning':
        log(`warning: ${e.message}`);
        break;
    }
  };
  const worker = await startWorker({
    url: o.queue,
    setup: WORKER_SETUP,
    backends,
    concurrency,
    ...(o.stalledAfter !== undefined ? { lockMs: o.stalledAfter * 1000 } : {}),
    onEvent,
  });
  log(
    `worker ${worker.name}: ${concurrency} cell${concurrency === 1 ? '' : 's'} at a time, backends ${backends.join(', ')}, from ${target.display}. Ctrl-C: finish the cells in flight and stop; twice: hand them back now.`,
  );
  let signals = 0;
  const onSignal = (name: string) => {
    signals++;
    if (signals === 1) {
      log(`${name}: taking no more cells; finishing those in flight (again to hand them back)`);
      worker.stop('finish');
    } else if (signals === 2) {
      log(`${name}: handing the cells in flight back to the queue`);
      worker.stop('release');
    } else {
      log(`${name}: exiting now; other workers take over this worker's cells once its locks lapse`);
      process.exit(EXIT.cancelled);
    }
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    await worker.closed;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
  log(`worker ${worker.name} stopped`);
  return EXIT.ok;
}
