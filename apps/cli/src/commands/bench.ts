import {
  type ExperimentSpec,
  parseSpec,
  probeBackends,
  runExperiment,
  useBackend,
} from '@gradlab/core';
import { presetSpec } from '@gradlab/experiments';
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import { colorEnabled } from '../render/style.js';

export interface BenchOptions {
  readonly backend?: string;
  readonly preset: string;
  readonly steps: number;
  readonly rounds: number;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

interface Mode {
  readonly name: string;
  readonly what: string;
  readonly bare: boolean;
  readonly every: number;
}

const MODES: readonly Mode[] = [
  { name: 'bare', what: 'training step, loss read back only', bare: true, every: 1 },
  { name: 'norms', what: 'per-layer gradient norms every step', bare: false, every: 1_000_000 },
  { name: 'default', what: 'norms every step, full diagnostics every 10', bare: false, every: 10 },
  { name: 'full', what: 'full diagnostics every step', bare: false, every: 1 },
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Step times of one run, without its first step (kernel compilation, memory growth). */
async function timeSteps(spec: ExperimentSpec, mode: Mode, steps: number): Promise<number[]> {
  const times: number[] = [];
  const s = parseSpec({ ...spec, diagnostics: { ...spec.diagnostics, every: mode.every } });
  await runExperiment(s, {
    steps: steps + 1,
    mode: mode.bare ? 'bare' : 'diagnostics',
    listeners: [(e) => void (e.type === 'step' && e.step > 1 && times.push(e.ms))],
  });
  return times;
}

/**
 * `gradlab bench`: ms/step of the reference workload on each available backend, bare and with
 * each level of diagnostics. Modes are interleaved over rounds so that a slow patch of a shared
 * machine spreads over all of them instead of biasing one.
 */
export async function benchCommand(o: BenchOptions): Promise<number> {
  const spec = presetSpec(o.preset);
  // Probe every backend only when none is named: a probe of webgpu starts Dawn, which prints
  // its adapter warnings, and `--backend wasm` has no business with it.
  const names = o.backend
    ? o.backend.split(',').map((s) => s.trim())
    : (await probeBackends()).filter((b) => b.probe.available).map((b) => b.name);
  const rows: {
    backend: string;
    device: string;
    mode: string;
    what: string;
    msPerStep: number;
    overhead: number | null;
    samples: number;
  }[] = [];
  // One bar (with ETA) over every timed run on a terminal; a line per run in logs.
  const chatty = !o.json && !o.quiet;
  const total = names.length * o.rounds * MODES.length;
  const bar =
    chatty && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: ' {bar} {value}/{total} runs | ETA {eta_formatted} | {what}',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(total, 0, { what: '' });
  for (const name of names) {
    const { info } = await useBackend(name);
    const times = new Map<string, number[]>(MODES.map((m) => [m.name, []]));
    for (let r = 0; r < o.rounds; r++) {
      for (const mode of MODES) {
        (times.get(mode.name) as number[]).push(...(await timeSteps(spec, mode, o.steps)));
        const what = `${name} round ${r + 1}/${o.rounds} ${mode.name} done`;
        if (bar) bar.increment({ what });
        else if (chatty) process.stderr.write(`  ${what}\n`);
      }
    }
    const bare = median(times.get('bare') as number[]);
    for (const mode of MODES) {
      const ms = median(times.get(mode.name) as number[]);
      rows.push({
        backend: name,
        device: info.device,
        mode: mode.name,
        what: mode.what,
        msPerStep: ms,
        overhead: mode.bare ? null : ms / bare - 1,
        samples: (times.get(mode.name) as number[]).length,
      });
    }
  }
  bar?.stop();
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify({ preset: o.preset, steps: o.steps, rounds: o.rounds, rows }, null, 2)}\n`,
    );
    return 0;
  }
  const color = colorEnabled(process.stdout);
  const table = new Table({
    head: ['backend', 'mode', 'ms/step (median)', 'vs bare', 'what is measured'],
    colAligns: ['left', 'left', 'right', 'right', 'left'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const r of rows) {
    table.push([
      r.backend,
      r.mode,
      r.msPerStep.toFixed(1),
      r.overhead === null ? '-' : `${r.overhead >= 0 ? '+' : ''}${(100 * r.overhead).toFixed(1)}%`,
      r.what,
    ]);
  }
  process.stdout.write(
    `Preset "${o.preset}" (${spec.description ?? spec.name}), ${o.steps} timed steps x ${o.rounds} rounds per mode.\n${table.toString()}\n`,
  );
  return 0;
}
