/**
 * One process of `gradlab bench --sweep`'s ceiling measurement (commands/sweep-ceiling.ts):
 * registers the backends as a sweep worker does, runs the cell in the file named by its first
 * argument once to warm up, says `ready`, and on `go` (a line on stdin) runs the cell over and
 * over for the given seconds, then prints how many runs it finished and in what time, as JSON.
 * It writes nothing else: the cell's records stay in memory.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Cell, runCell } from '@gradlab/sweep';
import { registerKnownBackends } from './backends.js';

const [file, budget] = process.argv.slice(2);
const cell = JSON.parse(readFileSync(file as string, 'utf8')) as Cell;
const seconds = Number(budget);

await registerKnownBackends();
await runCell(cell);
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  const t0 = performance.now();
  let runs = 0;
  while (performance.now() - t0 < seconds * 1000) {
    await runCell(cell);
    runs++;
  }
  process.stdout.write(`${JSON.stringify({ runs, seconds: (performance.now() - t0) / 1000 })}\n`);
  break;
}
lines.close();
