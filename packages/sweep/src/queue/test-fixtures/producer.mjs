// The sweep's side for the queue tests, on the built package:
// `node producer.mjs '<options JSON>'` with { url, dir, cellsFile, log, ...runQueue options }.
// It opens the sweep directory, runs what is pending on the queue and appends
// "begin ID" / "end ID" to `log` around each record it writes.
import { appendFileSync, readFileSync } from 'node:fs';
import { openSweepStore } from '../../../dist/index.js';
import { runQueue } from '../../../dist/queue/index.js';

const { dir, cellsFile, log, ...options } = JSON.parse(process.argv[2] ?? '{}');
const { sweep, cells } = JSON.parse(readFileSync(cellsFile, 'utf8'));
const store = await openSweepStore(dir, sweep, cells);
const finish = store.finish.bind(store);
store.finish = async (cell, ...rest) => {
  appendFileSync(log, `begin ${cell.id}\n`);
  const entry = await finish(cell, ...rest);
  appendFileSync(log, `end ${cell.id}\n`);
  return entry;
};
process.stdout.write(`${JSON.stringify({ type: 'plan', pending: store.pending.length })}\n`);
try {
  const result = await runQueue(store, { ...options, reports: false });
  process.stdout.write(`${JSON.stringify({ type: 'summary', ...result })}\n`);
} catch (e) {
  process.stderr.write(`${e.code ?? ''}: ${e.message}\n`);
  process.exitCode = 3;
}
