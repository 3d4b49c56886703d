import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GradlabError } from '@gradlab/core';
import { listPresets } from '@gradlab/experiments';
import { expandSweep, readSweep } from '@gradlab/sweep';
import type { BenchSweepRow } from '../bench-rows.js';
import { loadSweep } from '../load-sweep.js';
import { benchSweepColumns } from '../render/bench-table.js';
import { fitTable } from '../render/fit-table.js';
import { colorEnabled } from '../render/style.js';
import { fitLine, outputWidth } from '../render/width.js';
import { sweepCeiling } from './sweep-ceiling.js';

export interface BenchSweepOptions {
  /** A sweep file or a named sweep, as `gradlab sweep` takes it. */
  readonly sweep: string;
  /** Worker counts to compare, e.g. "1,2" (default: 1 and one per core). */
  readonly workers?: string;
  readonly rounds: number;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function parseWorkerCounts(text: string | undefined): number[] {
  if (text === undefined) return [...new Set([1, availableParallelism()])];
  const counts = text.split(',').map((t) => Number(t.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 1024)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `--workers: ${JSON.stringify(text)} is not a list of worker counts; expected whole numbers from 1 to 1024 separated by commas, e.g. 1,2`,
    );
  }
  return [...new Set(counts)];
}

/** One whole `gradlab sweep` into a fresh directory, timed from spawn to exit. */
async function timeSweep(
  target: string,
  workers: number,
): Promise<{ seconds: number; cells: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'gradlab-bench-sweep-'));
  try {
    const out = join(dir, 'sweep');
    const args = [BIN, 'sweep', target, '--workers', String(workers), '--out', out, '--quiet'];
    const t0 = performance.now();
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, [...args, '--yes'], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (c: Buffer) => {
          err = (err + c.toString()).slice(-4000);
        });
        child.on('error', reject);
        child.on('exit', (c) => resolve({ code: c, stderr: err }));
      },
    );
    const seconds = (performance.now() - t0) / 1000;
    if (code !== 0) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `gradlab sweep ${target} --workers ${workers} exited with code ${code}: ${stderr.trim() || 'no message'}`,
      );
    }
    return { seconds, cells: (await readSweep(out)).cells.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `gradlab bench --sweep <sweep> [--workers 1,2]`: the whole sweep command timed with each
 * worker count, rounds interleaved (the order rotates each round, so neither count always runs
 * on a warmer or quieter machine), each into a fresh directory. The figure is what a user waits
 * for: start-up, every cell with its record and report, and exit.
 */
export async function benchSweepCommand(o: BenchSweepOptions): Promise<number> {
  const counts = parseWorkerCounts(o.workers);
  const samples = new Map<number, number[]>(counts.map((w) => [w, []]));
  let cells = 0;
  const chatty = !o.json && !o.quiet;
  for (let round = 0; round < o.rounds; round++) {
    const order = counts.map((_, i) => counts[(i + round) % counts.length] as number);
    for (const w of order) {
      const t = await timeSweep(o.sweep, w);
      cells = t.cells;
      samples.get(w)?.push(t.seconds);
      if (chatty) {
        process.stderr.write(
          `round ${round + 1}/${o.rounds}: ${w} worker${w === 1 ? '' : 's'} ${t.seconds.toFixed(2)} s\n`,
        );
      }
    }
  }
  if (chatty) process.stderr.write('the ceiling: the first cell in warm processes side by side\n');
  const { sweep, source } = await loadSweep(o.sweep, {});
  const presets = Object.fromEntries(listPresets().map((p) => [p.name, p.spec]));
  const [first] = expandSweep(sweep, { presets }, source);
  const ceilings = first ? await sweepCeiling(first, counts) : counts.map(() => Number.NaN);
  const ceilingOf = (w: number) => {
    const c = ceilings[counts.indexOf(w)] as number;
    // Relative to the first count, as the speed-up is.
    return c / (ceilings[0] as number);
  };
  const base = median(samples.get(counts[0] as number) ?? []);
  const rows: BenchSweepRow[] = counts.map((w) => {
    const s = samples.get(w) ?? [];
    const seconds = median(s);
    return {
      workers: w,
      seconds,
      samples: s,
      speedup: base / seconds,
      cellsPerSecond: cells / seconds,
      ceiling: ceilingOf(w),
    };
  });
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify({ sweep: o.sweep, cells, rounds: o.rounds, cores: availableParallelism(), rows }, null, 2)}\n`,
    );
    return 0;
  }
  const width = outputWidth();
  const table = fitTable(
    benchSweepColumns(counts[0] as number),
    rows,
    colorEnabled(process.stdout),
    width,
  );
  const heading = `gradlab sweep ${o.sweep}: ${cells} cells on ${availableParallelism()} cores, ${o.rounds} round${o.rounds === 1 ? '' : 's'}`;
  process.stdout.write(`${fitLine(heading, width)}\n${table}\n`);
  return 0;
}
