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
