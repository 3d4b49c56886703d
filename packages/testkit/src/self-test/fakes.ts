/**
 * Backends for the kit's own tests: copies of tfjs's CPU backend under new names, one with a
 * deliberately broken kernel, one whose probe says it is unavailable, one whose probe throws.
 */
import {
  type BackendAdapter,
  defineTfjsAdapter,
  type KnownGap,
  type ProbeResult,
} from '@gradlab/core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

export interface CopyOptions {
  /** Replace these kernels of the copy; each replacement gets the CPU kernel it replaces. */
  readonly kernels?: Readonly<Record<string, (cpu: KernelConfig) => KernelFunc>>;
  readonly probe?: () => Promise<ProbeResult>;
  readonly knownGaps?: readonly KnownGap[];
  /** Kernels the CPU backend does not have (gradlab's optional ones), added to the copy. */
  readonly extraKernels?: Readonly<Record<string, KernelFunc>>;
}

/** An adapter over a copy of tfjs's CPU kernels registered as tfjs backend `name`. */
export function cpuCopy(name: string, options: CopyOptions = {}): BackendAdapter {
  return defineTfjsAdapter({
    name,
    tfjsBackend: name,
    priority: 1,
    platforms: ['node', 'browser'],
    description: `a copy of the tfjs CPU backend for the kit's own tests (${name})`,
    probe: options.probe ?? (async () => ({ available: true, detail: 'a copy of cpu' })),
    ...(options.knownGaps ? { knownGaps: options.knownGaps } : {}),
    async load() {
      const tf = await import('@tensorflow/tfjs-core');
      const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
      if (tf.findBackendFactory(name)) return;
      tf.registerBackend(name, () => new MathBackendCPU(), 0);
      for (const kernel of tf.getKernelsForBackend('cpu')) {
        if (tf.getKernel(kernel.kernelName, name)) continue;
        const replace = options.kernels?.[kernel.kernelName];
        tf.registerKernel({
          ...kernel,
          backendName: name,
          ...(replace ? { kernelFunc: replace(kernel) } : {}),
        });
      }
      for (const [kernelName, kernelFunc] of Object.entries(options.extraKernels ?? {})) {
        if (!tf.getKernel(kernelName, name)) {
          tf.registerKernel({ kernelName, backendName: name, kernelFunc });
        }
      }
    },
    async describe() {
      return {
        device: `CPU (JavaScript), as "${name}"`,
        floatPrecision: 32,
        epsilon: 2 ** -23,
        capabilities: { syncReadback: true, multithreaded: false },
        versions: {},
      };
    },
  });
}

export const ELU_GAP: KnownGap = {
  test: 'gradient/elu',
  reason: 'EluGrad is broken on purpose: it returns dy unchanged',
};

/** A copy whose ELU gradient kernel returns dy itself: right for x > 0, wrong for x < 0. */
export function brokenEluCopy(name: string, knownGaps?: readonly KnownGap[]): BackendAdapter {
  return cpuCopy(name, {
    ...(knownGaps ? { knownGaps } : {}),
    kernels: {
      EluGrad: () => (args) => {
        const { dy } = args.inputs as { dy: TensorInfo };
        const backend = args.backend as unknown as CpuData & {
          makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
        };
        const values = Float32Array.from(backend.data.get(dy.dataId).values);
        return backend.makeTensorInfo(dy.shape, dy.dtype, values);
      },
    },
  });
}

type CpuData = { data: { get(id: object): { values: Float32Array } } };

/** A copy whose Sum kernel adds noise of 1e-6 relative: runs are not reproducible. */
export function noisyCopy(name: string): BackendAdapter {
  return cpuCopy(name, {
    kernels: {
      Sum: (cpu) => (args) => {
        const out = cpu.kernelFunc(args) as TensorInfo;
        const values = (args.backend as unknown as CpuData).data.get(out.dataId).values;
        for (let i = 0; i < values.length; i++) {
          values[i] = (values[i] as number) * (1 + 1e-6 * (Math.random() - 0.5));
        }
        return out;
      },
    },
  });
}

/** A copy whose Sqrt kernel calls dataSync() on a tensor of its own backend. */
export function syncReadingCopy(name: string): BackendAdapter {
  return cpuCopy(name, {
    kernels: {
      Sqrt: (cpu) => (args) => {
        const probe = tf.tensor1d([1]);
        try {
          probe.dataSync();
        } finally {
          probe.dispose();
        }
        return cpu.kernelFunc(args);
      },
    },
  });
}

export const UNAVAILABLE = {
  reason: 'no such device in this self-test',
  hint: 'there is nothing to install',
} as const;

// ---- kernels broken the way a native backend could break them (broken-kernels.fixture.ts) ----

type CpuBackend = CpuData & {
  makeTensorInfo(shape: number[], dtype: string, values?: Float32Array | Int32Array): TensorInfo;
};

/** Every matrix of a batched product is the first one's: a batch stride of 0 by mistake. */
export function batchStrideCopy(name: string): BackendAdapter {
  return cpuCopy(name, {
    kernels: {
      BatchMatMul: (cpu) => (args) => {
        const out = cpu.kernelFunc(args) as TensorInfo;
        const values = (args.backend as unknown as CpuData).data.get(out.dataId).values;
        const matrix = (out.shape.at(-2) as number) * (out.shape.at(-1) as number);
        for (let i = matrix; i < values.length; i++) values[i] = values[i % matrix] as number;
        return out;
      },
    },
  });
}

/** leakyrelu's slope fixed at tfjs's default 0.2, whatever leakyreluAlpha says. */
export function fixedAlphaCopy(name: string): BackendAdapter {
  return cpuCopy(name, {
    kernels: {
      _FusedMatMul: (cpu) => (args) =>
        cpu.kernelFunc({ ...args, attrs: { ...args.attrs, leakyreluAlpha: 0.2 } }),
    },
  });
}

/** An index out of range gives zeros instead of an error (as tfjs's WebGPU gather does). */
export function uncheckedGatherCopy(name: string): BackendAdapter {
  return cpuCopy(name, {
    kernels: {
      GatherV2: (cpu) => (args) => {
        try {
          return cpu.kernelFunc(args);
        } catch {
          const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
          const axis = tf.util.parseAxisParam(args.attrs?.axis as number, x.shape)[0] as number;
          const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
          return (args.backend as unknown as CpuBackend).makeTensorInfo(shape, x.dtype);
        }
      },
    },
  });
}

/** A zero-copy clone that forgets the reference count: disposing the original frees it. */
export function uncountedCloneCopy(name: string): BackendAdapter {
  return cpuCopy(name, {
    kernels: {
      Identity: () => (args) => {
        const { x } = args.inputs as { x: TensorInfo };
        return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
      },
    },
  });
}

/** GradlabL2Norms as sqrt(sum(x^2)) in float32: squares of 1e-25 underflow to 0. */
export function naiveNormsCopy(name: string): BackendAdapter {
  return cpuCopy(name, {
    extraKernels: {
      GradlabL2Norms: (args) => {
        const backend = args.backend as unknown as CpuBackend;
        const tensors = Object.values(args.inputs) as TensorInfo[];
        const norms = Float32Array.from(tensors, (t) => {
          let sum = 0;
          for (const v of backend.data.get(t.dataId).values)
            sum = Math.fround(sum + Math.fround(v * v));
          return Math.sqrt(sum);
        });
        return backend.makeTensorInfo([tensors.length], 'float32', norms);
      },
    },
  });
}

/** GradlabDenseGrad with leakyrelu's slope fixed at 0.2, whatever its `alpha` says. */
export function fixedAlphaDenseGradCopy(name: string): BackendAdapter {
  return cpuCopy(name, {
    extraKernels: {
      GradlabDenseGrad: (args) => {
        const backend = args.backend as unknown as CpuBackend;
        const { dy, x, kernel, y } = args.inputs as Record<'dy' | 'x' | 'kernel' | 'y', TensorInfo>;
        const [rows, k] = x.shape as [number, number];
        const n = kernel.shape[1] as number;
        const get = (t: TensorInfo) => backend.data.get(t.dataId).values;
        const [dyv, xv, wv, yv] = [get(dy), get(x), get(kernel), get(y)];
        const activation = (args.attrs as { activation: string }).activation;
        const slope = (v: number): number => {
          if (activation === 'relu') return v > 0 ? 1 : 0;
          if (activation === 'sigmoid') return v * (1 - v);
          if (activation === 'elu') return v > 0 ? 1 : v + 1;
          if (activation === 'leakyrelu') return v > 0 ? 1 : 0.2; // the bug: alpha ignored
          return 1;
        };
        const dz = Float32Array.from(dyv, (d, i) => d * slope(yv[i] as number));
        const dx = new Float32Array(rows * k);
        const dw = new Float32Array(k * n);
        const db = new Float32Array(n);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < n; j++) {
            const g = dz[r * n + j] as number;
            db[j] = (db[j] as number) + g;
            for (let i = 0; i < k; i++) {
              dx[r * k + i] = (dx[r * k + i] as number) + g * (wv[i * n + j] as number);
              dw[i * n + j] = (dw[i * n + j] as number) + (xv[r * k + i] as number) * g;
            }
          }
        }
        const weights = [
          backend.makeTensorInfo([k, n], 'float32', dw),
          backend.makeTensorInfo([n], 'float32', db),
        ];
        if ((args.attrs as { inputGradient?: boolean }).inputGradient === false) return weights;
        return [backend.makeTensorInfo([rows, k], 'float32', dx), ...weights];
      },
    },
  });
}
