import { cpuBackend } from '@gradlab/backend-cpu';
import { cudaBackend, tfjsNodeBackend } from '@gradlab/backend-cuda';
import { wasmBackend } from '@gradlab/backend-wasm';
import { webgpuBackend } from '@gradlab/backend-webgpu';
import { registerBackend } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';

/** The backends this command knows. Registering is free: each loads on first use. */
export function registerKnownBackends(): void {
  // PROD silences tfjs's console hints (such as its advice to install tfjs-node), which would
  // interleave with the command's own output; it changes no numerics.
  tf.env().set('PROD', true);
  registerBackend(cpuBackend);
  registerBackend(wasmBackend);
  registerBackend(webgpuBackend);
  registerBackend(cudaBackend);
  registerBackend(tfjsNodeBackend);
}
