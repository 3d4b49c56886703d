import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsNodeLoader, TfjsNodeModule } from './index.js';

/**
 * A stand-in for @tensorflow/tfjs-node(-gpu), which cannot be installed here. Loading it does
 * what importing the real package does (tfjs-node/src/index.ts 4.22.0): it registers kernels for
 * a tfjs backend named "tensorflow" (tfjs's CPU kernels, copied under the new name), registers
 * the backend factory with priority 3 and selects it without awaiting. Like a cached import, it
 * does so on the first load only. The backend carries what NodeJSKernelBackend carries:
 * `isUsingGpuDevice` and `binding.TF_Version`.
 */
export interface FakeTfjsNode {
  readonly load: TfjsNodeLoader;
  /** How many times load() was called. */
  readonly loads: () => number;
  readonly module: TfjsNodeModule;
}

export interface FakeOptions {
  /** isUsingGpuDevice; undefined leaves the flag out (a backend that does not say). */
  readonly gpu: boolean | undefined;
  readonly tfjsNodeVersion?: string;
}

class FakeNativeBackend extends MathBackendCPU {
  readonly binding = { TF_Version: '2.9.1' };
  constructor(gpu: boolean | undefined) {
    super();
    // MathBackendCPU greets its first write in Node with "install our node backend"; this is it.
    Object.assign(this, { firstUse: false });
    if (gpu !== undefined) Object.assign(this, { isUsingGpuDevice: gpu, isGPUPackage: true });
  }
}

function registerTensorflowKernels(): void {
  if (tf.getKernelsForBackend('tensorflow').length > 0) return;
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
  }
}

export function fakeTfjsNode(options: FakeOptions): FakeTfjsNode {
  let loads = 0;
  let imported = false;
  const module: TfjsNodeModule = {
    version: {
      'tfjs-core': tf.version_core,
      'tfjs-node': options.tfjsNodeVersion ?? '4.22.0',
    },
  };
  return {
    module,
    loads: () => loads,
    async load() {
      loads++;
      if (!imported) {
        imported = true;
        registerTensorflowKernels();
        tf.registerBackend('tensorflow', () => new FakeNativeBackend(options.gpu), 3);
        void tf.setBackend('tensorflow');
      }
      return module;
    },
  };
}

/** A loader that fails the way Node fails, with `message` and `code`. */
export function failingLoader(message: string, code?: string): TfjsNodeLoader {
  return async () => {
    throw Object.assign(new Error(message), code === undefined ? {} : { code });
  };
}
