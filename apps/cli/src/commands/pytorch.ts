import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type ExperimentSpec,
  featureSize,
  GradlabError,
  loadDataset,
  targetSize,
} from '@gradlab/core';

/**
 * `gradlab bench --vs pytorch`: the same workload in PyTorch (bench/pytorch_reference.py, shipped
 * in the package's "files"), run by a Python that can import torch.
 */

/** The script, two levels above this module in src/commands/ and in dist/commands/ alike. */
export const PYTORCH_SCRIPT = fileURLToPath(
  new URL('../../bench/pytorch_reference.py', import.meta.url),
);

/** What to do when no Python imports torch (Debian: its torch does matmuls in OpenBLAS). */
export const PYTORCH_HINT =
  "apt-get install -y python3-torch libopenblas0-pthread, and run with Debian's /usr/bin/python3 (or set GRADLAB_PYTHON to a python that imports torch)";

/** The modes PyTorch is timed in; gradlab's rows of the same name get a ratio. */
export const PYTORCH_MODES = ['bare', 'norms'] as const;
export type PytorchMode = (typeof PYTORCH_MODES)[number];

export type TorchPython =
  | { readonly ok: true; readonly python: string; readonly version: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The Python to run PyTorch with: GRADLAB_PYTHON alone when it is set, otherwise the first of
 * Debian's /usr/bin/python3 and `python3` on PATH that imports torch (a pyenv shim named python3
 * may come first on PATH and lack it). Never throws.
 */
export function findTorchPython(env: NodeJS.ProcessEnv = process.env): TorchPython {
  const candidates = env.GRADLAB_PYTHON ? [env.GRADLAB_PYTHON] : ['/usr/bin/python3', 'python3'];
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 120_000,
      env,
    });
    if (r.status === 0) return { ok: true, python, version: r.stdout.trim() };
    const why = r.error
      ? (r.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'not found'
        : r.error.message
      : (r.stderr.trim().split('\n').pop() ?? `exit code ${r.status}`);
    tried.push(`${python}: ${why}`);
  }
  const via = env.GRADLAB_PYTHON ? ' (GRADLAB_PYTHON)' : '';
  return { ok: false, reason: `no Python with PyTorch found${via}: ${tried.join('; ')}` };
}

/** The workload as the PyTorch script's options name it. */
export interface PytorchWorkload {
  readonly depth: number;
  readonly width: number;
  readonly input: number;
  readonly output: number;
  readonly batch: number;
  readonly samples: number;
  readonly lr: number;
}

/**
 * The PyTorch script's workload for a spec, or an INVALID_ARGUMENT error listing every way the
 * spec differs from what the script trains: a plain ReLU MLP with He-normal kernels and zero
 * biases, softmax cross-entropy on vectors, plain SGD at a constant rate.
 */
export async function pytorchWorkload(
  spec: ExperimentSpec,
  preset: string,
): Promise<PytorchWorkload> {
  const differs: string[] = [];
  const t = spec.training;
  if (t.optimizer.kind !== 'sgd') differs.push(`training.optimizer.kind is "${t.optimizer.kind}"`);
  if (t.schedule.kind !== 'constant' || t.schedule.warmupSteps !== 0)
    differs.push('training.schedule is not a constant rate');
  if (t.clip) differs.push('training.clip is set');
  if (t.regularization.l1 !== 0 || t.regularization.l2 !== 0)
    differs.push('training.regularization is set');
  if (t.weightClip) differs.push('training.weightClip is set');
  if (t.pretraining) differs.push('training.pretraining is set');
  if (t.loss && t.loss !== 'softmax-cross-entropy') differs.push(`training.loss is "${t.loss}"`);
  const m = spec.model;
  if (m.kind !== 'mlp') {
    differs.push(`model.kind is "${m.kind}"`);
  } else {
    if (m.activation !== 'relu')
      differs.push(`model.activation is ${JSON.stringify(m.activation)}`);
    if (m.init !== 'he-normal') differs.push(`model.init is ${JSON.stringify(m.init)}`);
    if (m.biasInit !== undefined && m.biasInit !== 'zeros' && m.biasInit.kind !== 'zeros')
      differs.push('model.biasInit is not zeros');
    if (typeof m.width !== 'number') differs.push('model.width is a per-layer list');
    if (m.norm !== 'none') differs.push(`model.norm is "${m.norm}"`);
    if (m.residual) differs.push('model.residual is set');
  }
  const data = await loadDataset(spec.data, spec.seed);
  if (data.task !== 'classification') differs.push(`the data is a ${data.task} task`);
  if (data.xShape.length !== 1) differs.push('the inputs are not vectors');
  if (differs.length > 0 || m.kind !== 'mlp' || typeof m.width !== 'number') {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `--vs pytorch times a plain ReLU MLP (He-normal, zero biases), softmax cross-entropy, plain SGD at a constant rate; preset "${preset}" differs: ${differs.join(', ')}. Use --preset reference (and --depth, --width, --batch to scale it).`,
    );
  }
  return {
    depth: m.depth,
    width: m.width,
    input: featureSize(data),
    output: targetSize(data),
    batch: t.batchSize,
    samples: data.size,
    lr: t.optimizer.lr,
  };
}

/** One run of the PyTorch script: per-step times of each mode, and what it ran on. */
export interface PytorchRound {
  readonly torch: string;
  readonly threads: number;
  readonly blas: { readonly library: string | null; readonly threads: number | null };
  readonly modes: Readonly<Record<PytorchMode, readonly number[]>>;
}

/**
 * Runs the script once, bare and norms modes each on a fresh model with `steps` timed steps
 * after one untimed one (as gradlab drops each run's first step). Throws with the script's own
 * error when it fails.
 */
export function runPytorchRound(
  python: string,
  w: PytorchWorkload,
  o: { readonly steps: number; readonly threads: number; readonly seed?: number },
): PytorchRound {
  if (!existsSync(PYTORCH_SCRIPT)) {
    throw new Error(`the PyTorch script ${PYTORCH_SCRIPT} is missing from this installation`);
  }
  const args = [
    PYTORCH_SCRIPT,
    ...Object.entries(w).flatMap(([k, v]) => [`--${k}`, String(v)]),
    '--steps',
    String(o.steps),
    '--warmup',
    '1',
    '--threads',
    String(o.threads),
    '--seed',
    String(o.seed ?? 0),
    '--mode',
    PYTORCH_MODES.join(','),
  ];
  const threads = String(o.threads);
  const r = spawnSync(python, args, {
    encoding: 'utf8',
    timeout: 3_600_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads },
  });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? r.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`the PyTorch script failed (${python} ${args.join(' ')}): ${why}`);
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let out: PytorchRound;
  try {
    out = JSON.parse(line) as PytorchRound;
  } catch {
    throw new Error(`the PyTorch script printed no JSON result: ${line.slice(0, 200)}`);
  }
  for (const mode of PYTORCH_MODES) {
    const ms = out.modes?.[mode];
    if (!Array.isArray(ms) || ms.length !== o.steps || !ms.every((x) => Number.isFinite(x))) {
      throw new Error(`the PyTorch script's result has no ${o.steps} step times for "${mode}"`);
    }
  }
  return out;
}
