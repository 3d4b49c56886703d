import { cpuBackend } from '@gradlab/backend-cpu';
import { cudaBackend, tfjsNodeBackend } from '@gradlab/backend-cuda';
import { wasmBackend } from '@gradlab/backend-wasm';
import { webgpuBackend } from '@gradlab/backend-webgpu';
import { type BackendAdapter, registerBackend } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * @gradlab/backend-blas is an optional dependency: a package manager that skipped it leaves the
 * command working with the others. (Its native addon is optional too; the adapter's probe says
 * when that is missing, and how to build it.)
 */
async function optionalBlas(): Promise<BackendAdapter | null> {
  try {
    return (await import('@gradlab/backend-blas')).blasBackend;
  } catch {
    return null;
  }
}

/** The backends this command knows. Registering is free: each loads on first use. */
export async function registerKnownBackends(): Promise<void> {
  // PROD silences tfjs's console hints (such as its advice to install tfjs-node), which would
  // interleave with the command's own output; it changes no numerics.
  tf.env().set('PROD', true);
  registerBackend(cpuBackend);
  registerBackend(wasmBackend);
  registerBackend(webgpuBackend);
  registerBackend(cudaBackend);
  registerBackend(tfjsNodeBackend);
  const blas = await optionalBlas();
  if (blas) registerBackend(blas);
}
