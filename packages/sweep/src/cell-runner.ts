/**
 * The entry point of a local sweep worker process, forked by local.ts. It imports the setup
 * module named by its first argument (which registers the backends cells may use), says it is
 * ready, then runs the cells it is sent one at a time and sends each outcome back. It writes
 * nothing itself: the sweep's process owns the directory.
 */
import { runCell } from './cell.js';
import { CRASH_CELLS_ENV, type FromWorker, type ToWorker } from './protocol.js';
import { renderCellReport } from './report.js';

const send = (m: FromWorker): Promise<void> =>
  new Promise((resolve, reject) => {
    process.send?.(m, undefined, {}, (e) => (e ? reject(e) : resolve()));
  });

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

// Ctrl-C and a closed terminal (SIGHUP) reach the whole process group: the sweep decides what
// happens to its cells (those in flight go back to pending).
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
// The sweep's process is gone (killed, even with SIGKILL): nobody will read the outcome.
process.on('disconnect', () => process.exit(0));

const crash = new Set((process.env[CRASH_CELLS_ENV] ?? '').split(',').filter(Boolean));

/** Start-up work done while the worker waits for its first cell instead of during it. */
async function warm(backends: readonly string[], report: boolean): Promise<void> {
  const { useBackend } = await import('@gradlab/core');
  // A backend that fails here fails again in its cell, which reports it with the cell.
  for (const b of backends) await useBackend(b).catch(() => {});
  if (report) await import('@gradlab/report');
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'warm') return warm(m.backends, m.report);
  if (m.type !== 'run') return;
  const { cell } = m;
  if (crash.has(cell.id)) process.kill(process.pid, 'SIGKILL');
  let outcome: Awaited<ReturnType<typeof runCell>>;
  try {
    outcome = await runCell(cell);
  } catch (e) {
    await send({ type: 'error', id: cell.id, message: message(e) });
    return;
  }
  let report: string | null = null;
  let reportError: string | null = null;
  if (m.report) {
    try {
      report = await renderCellReport(outcome.bundle);
    } catch (e) {
      reportError = message(e);
    }
  }
  await send({ type: 'result', id: cell.id, bundle: outcome.bundle, report, reportError });
}

const setup = process.argv[2];
if (setup) await import(setup);
// One message at a time: a cell never starts while the warm-up is activating its backend.
let handled: Promise<void> = Promise.resolve();
process.on('message', (m: ToWorker) => {
  handled = handled.then(() => handle(m)).catch(() => {});
});
await send({ type: 'ready' });
