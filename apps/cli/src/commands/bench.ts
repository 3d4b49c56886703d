import { availableParallelism } from 'node:os';
import {
  type ExperimentSpec,
  GradlabError,
  parseSpec,
  probeBackends,
  runExperiment,
  useBackend,
} from '@gradlab/core';
import { presetSpec } from '@gradlab/experiments';
import type { BenchRow } from '../bench-rows.js';
import { benchProgress } from '../render/bench-progress.js';
import { benchColumns } from '../render/bench-table.js';
import { fitTable } from '../render/fit-table.js';
import { colorEnabled } from '../render/style.js';
import { fitLine, outputWidth } from '../render/width.js';
import {
  findTorchPython,
  PYTORCH_HINT,
  PYTORCH_MODES,
  type PytorchMode,
  type PytorchRound,
  type PytorchWorkload,
  pytorchWorkload,
  runPytorchRound,
} from './pytorch.js';

export interface BenchOptions {
  readonly backend?: string;
  readonly preset: string;
  readonly steps: number;
  readonly rounds: number;
  /** OpenBLAS's threads (OPENBLAS_NUM_THREADS) and PyTorch's; default: every core. */
  readonly threads?: number;
  /** Overrides of the preset's model depth and width (MLP presets) and batch size. */
  readonly depth?: number;
  readonly width?: number;
  readonly batch?: number;
  /** Also time the same workload in another engine, interleaved with gradlab's rounds. */
  readonly vs?: 'pytorch';
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

const PYTORCH_WHAT: Readonly<Record<PytorchMode, string>> = {
  bare: 'the same step in PyTorch, loss read back only',
  norms: 'the same step in PyTorch, every gradient norm read back',
};

export interface BenchJsonOutput {
  readonly preset: string;
  readonly steps: number;
  readonly rounds: number;
  readonly threads: number;
  /** The model and batch timed, after --depth, --width and --batch (MLP presets). */
  readonly workload: {
    readonly depth: number;
    readonly width: number;
    readonly batch: number;
  } | null;
  readonly rows: readonly BenchRow[];
  /** With --vs pytorch: what ran PyTorch, or why it did not. */
  readonly pytorch?:
    | {
        readonly available: true;
        readonly python: string;
        readonly torch: string;
        readonly threads: number;
        readonly blas: PytorchRound['blas'];
        readonly workload: PytorchWorkload;
        /** Each gradlab backend's ms/step over PyTorch's, mode by mode (the rows' vsPytorch). */
        readonly ratios: Readonly<Record<string, Readonly<Record<PytorchMode, number>>>>;
      }
    | { readonly available: false; readonly reason: string; readonly hint: string };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * The spec `bench` times: the preset with --depth and --width (MLP presets only) and --batch
 * applied. Throws INVALID_ARGUMENT naming the option when it cannot apply.
 */
export function benchSpec(
  preset: string,
  o: { readonly depth?: number; readonly width?: number; readonly batch?: number },
): ExperimentSpec {
  const spec = presetSpec(preset);
  const model = spec.model;
  if (model.kind !== 'mlp') {
    for (const [option, value] of [
      ['--depth', o.depth],
      ['--width', o.width],
    ] as const) {
      if (value !== undefined) {
        throw new GradlabError(
          'INVALID_ARGUMENT',
          `${option} ${value}: ${option} applies to MLP presets only (such as reference); preset "${preset}" has a ${model.kind} model.`,
        );
      }
    }
  }
  if (o.depth === undefined && o.width === undefined && o.batch === undefined) return spec;
  return parseSpec({
    ...spec,
    model:
      model.kind === 'mlp'
        ? { ...model, depth: o.depth ?? model.depth, width: o.width ?? model.width }
        : model,
    training: { ...spec.training, batchSize: o.batch ?? spec.training.batchSize },
  });
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
 * each level of diagnostics, and with --vs pytorch the same workload in PyTorch. Everything is
 * interleaved: round r times every mode of every backend, then PyTorch's round, so that a slow
 * patch of a shared machine spreads over all of them instead of biasing one.
 */
export async function benchCommand(o: BenchOptions): Promise<number> {
  // OpenBLAS reads OPENBLAS_NUM_THREADS once, when the library loads: before any backend is
  // probed or activated (the blas adapter's probe loads its addon, and with it OpenBLAS).
  const threads = o.threads ?? availableParallelism();
  process.env.OPENBLAS_NUM_THREADS = String(threads);
  const spec = benchSpec(o.preset, o);
  const chatty = !o.json && !o.quiet;

  let torch: { python: string; version: string; workload: PytorchWorkload } | null = null;
  let pytorchJson: BenchJsonOutput['pytorch'];
  if (o.vs === 'pytorch') {
    const workload = await pytorchWorkload(spec, o.preset);
    const found = findTorchPython();
    if (found.ok) {
      torch = { python: found.python, version: found.version, workload };
    } else {
      pytorchJson = { available: false, reason: found.reason, hint: PYTORCH_HINT };
      process.stderr.write(
        `gradlab: --vs pytorch: ${found.reason}. To get it: ${PYTORCH_HINT}. Timing gradlab alone.\n`,
      );
    }
  }

  // Probe every backend only when none is named: a probe of webgpu starts Dawn, which prints
  // its adapter warnings, and `--backend wasm` has no business with it.
  const names = o.backend
    ? o.backend.split(',').map((s) => s.trim())
    : (await probeBackends()).filter((b) => b.probe.available).map((b) => b.name);

  const total = o.rounds * (names.length * MODES.length + (torch ? 1 : 0));
  const bar = benchProgress(chatty ? process.stderr : null, total);

  const devices = new Map<string, string>();
  const times = new Map<string, number[]>();
  const series = (backend: string, mode: string) => {
    const key = `${backend}\u0000${mode}`;
    if (!times.has(key)) times.set(key, []);
    return times.get(key) as number[];
  };
  let torchRun: PytorchRound | null = null;
  for (let r = 0; r < o.rounds; r++) {
    for (const name of names) {
      const { info } = await useBackend(name);
      if (!devices.has(name)) {
        devices.set(name, info.device);
        const blasThreads = info.versions['openblas-threads'];
        if (blasThreads !== undefined && blasThreads !== String(threads)) {
          process.stderr.write(
            `gradlab: warning: ${name} runs OpenBLAS on ${blasThreads} threads, not the ${threads} asked: OpenBLAS was loaded before OPENBLAS_NUM_THREADS was set.\n`,
          );
        }
      }
      for (const mode of MODES) {
        series(name, mode.name).push(...(await timeSteps(spec, mode, o.steps)));
        bar.done(`${name} round ${r + 1}/${o.rounds} ${mode.name} done`);
      }
    }
    if (torch) {
      bar.running(`pytorch round ${r + 1}/${o.rounds} running`);
      torchRun = runPytorchRound(torch.python, torch.workload, { steps: o.steps, threads });
      for (const mode of PYTORCH_MODES) series('pytorch', mode).push(...torchRun.modes[mode]);
      bar.done(`pytorch round ${r + 1}/${o.rounds} done`);
    }
  }
  bar.stop();

  const torchMs = new Map<string, number>(
    torchRun ? PYTORCH_MODES.map((m) => [m, median(series('pytorch', m))]) : [],
  );
  const rows: BenchRow[] = [];
  const addRows = (
    backend: string,
    device: string,
    modes: readonly { name: string; what: string; bare: boolean }[],
  ) => {
    const bare = median(series(backend, 'bare'));
    for (const mode of modes) {
      const ms = median(series(backend, mode.name));
      const peer = torchMs.get(mode.name);
      rows.push({
        backend,
        device,
        mode: mode.name,
        what: mode.what,
        msPerStep: ms,
        overhead: mode.bare ? null : ms / bare - 1,
        vsPytorch: peer === undefined ? null : ms / peer,
        samples: series(backend, mode.name).length,
      });
    }
  };
  for (const name of names) addRows(name, devices.get(name) ?? name, MODES);
  if (torch && torchRun) {
    const lib = torchRun.blas.library?.split('/').pop() ?? 'BLAS unknown';
    addRows(
      'pytorch',
      `PyTorch ${torchRun.torch} CPU, ${lib} (${torchRun.threads} thread${torchRun.threads === 1 ? '' : 's'})`,
      PYTORCH_MODES.map((m) => ({ name: m, what: PYTORCH_WHAT[m], bare: m === 'bare' })),
    );
    pytorchJson = {
      available: true,
      python: torch.python,
      torch: torchRun.torch,
      threads: torchRun.threads,
      blas: torchRun.blas,
      workload: torch.workload,
      ratios: Object.fromEntries(
        names.map((name) => [
          name,
          Object.fromEntries(
            PYTORCH_MODES.map((m) => [m, median(series(name, m)) / (torchMs.get(m) as number)]),
          ) as Record<PytorchMode, number>,
        ]),
      ),
    };
  }

  const m = spec.model;
  const workload =
    m.kind === 'mlp' && typeof m.width === 'number'
      ? { depth: m.depth, width: m.width, batch: spec.training.batchSize }
      : null;
  if (o.json) {
    const out: BenchJsonOutput = {
      preset: o.preset,
      steps: o.steps,
      rounds: o.rounds,
      threads,
      workload,
      rows,
      ...(pytorchJson ? { pytorch: pytorchJson } : {}),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const color = colorEnabled(process.stdout);
  const width = outputWidth();
  const table = fitTable(benchColumns(torchRun !== null), rows, color, width);
  const shape = workload
    ? `depth ${workload.depth}, width ${workload.width}, batch ${workload.batch}`
    : `batch ${spec.training.batchSize}`;
  const peer = pytorchJson?.available
    ? `; PyTorch ${pytorchJson.torch} via ${pytorchJson.python}`
    : '';
  // The preset's description names its own depth, width and batch: not once they are overridden.
  const scaled = o.depth !== undefined || o.width !== undefined || o.batch !== undefined;
  const about = scaled ? '' : ` (${(spec.description ?? spec.name).replace(/\.$/, '')})`;
  const heading = `Preset "${o.preset}"${about} at ${shape}; ${o.steps} timed steps x ${o.rounds} rounds per mode; ${threads} thread${threads === 1 ? '' : 's'} (OpenBLAS, PyTorch)${peer}.`;
  process.stdout.write(`${fitLine(heading, width)}\n${table}\n`);
  if (torchRun !== null) {
    process.stdout.write(
      `${fitLine("vs PyTorch: ms/step over PyTorch's in the same mode (bare vs bare, norms vs norms); below 1.00x is faster.", width)}\n`,
    );
  }
  return 0;
}
