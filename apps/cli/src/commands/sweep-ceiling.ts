import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cell } from '@gradlab/sweep';

const PROBE = fileURLToPath(new URL('../sweep-ceiling-probe.js', import.meta.url));

/** How long each probe process repeats the cell once all are ready. */
const PROBE_SECONDS = 1.5;

/** Starts a probe process and resolves once it is warm (its first run of the cell done). */
function startProbe(cellFile: string): Promise<{ child: ChildProcess; result: Promise<number> }> {
  const child = spawn(process.execPath, [PROBE, cellFile, String(PROBE_SECONDS)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-2000);
  });
  return new Promise((resolveReady, rejectReady) => {
    const result = new Promise<number>((resolveRate, rejectRate) => {
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.startsWith('ready\n')) resolveReady({ child, result });
        const report = out.split('\n')[1];
        if (report) {
          const { runs, seconds } = JSON.parse(report) as { runs: number; seconds: number };
          resolveRate(runs / seconds);
        }
      });
      child.on('exit', (code) => {
        const e = new Error(`the ceiling probe exited with code ${code}: ${err.trim()}`);
        rejectReady(e);
        rejectRate(e);
      });
    });
    result.catch(() => {});
  });
}

/** Cells per second of `k` warm processes running `cellFile`'s cell at once, summed. */
async function throughput(cellFile: string, k: number): Promise<number> {
  const probes = await Promise.all(Array.from({ length: k }, () => startProbe(cellFile)));
  try {
    // All warm before any starts the clock: the processes overlap for the whole measurement.
    for (const p of probes) p.child.stdin?.write('go\n');
    const rates = await Promise.all(probes.map((p) => p.result));
    return rates.reduce((a, b) => a + b, 0);
  } finally {
    for (const p of probes) p.child.kill();
  }
}

/**
 * The machine's ceiling for each worker count: `k` warm processes running the sweep's first
 * cell over and over, independently (no sweep, no records, no start-up), as a multiple of one
 * process's throughput. No sweep can gain more than this from `k` workers: on two hyperthreads
 * of one core, for instance, it is well under 2.
 */
export async function sweepCeiling(cell: Cell, counts: readonly number[]): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'gradlab-bench-ceiling-'));
  try {
    const file = join(dir, 'cell.json');
    await writeFile(file, JSON.stringify(cell));
    const one = await throughput(file, 1);
    const out: number[] = [];
    for (const k of counts) out.push(k === 1 ? 1 : (await throughput(file, k)) / one);
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
