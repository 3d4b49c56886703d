import { type BackendAdapter, defineTfjsAdapter } from '@gradlab/core';

/** The tfjs backend name this adapter registers and activates. */
export const TFJS_NAME = 'cpu-clone';

/**
 * A whole gradlab backend: tfjs's CPU kernels registered under a new tfjs backend name,
 * "cpu-clone". A real backend would bring its own kernels (a tfjs backend package, or
 * `tf.registerKernel` calls of its own); everything else it needs is here, and
 * src/index.test.ts, one call of the conformance kit, proves it gives gradlab's numbers.
 */
export const cpuCloneBackend: BackendAdapter = defineTfjsAdapter({
  name: 'cpu-clone',
  tfjsBackend: TFJS_NAME,
  // Below cpu (10): "auto" never prefers the copy.
  priority: 5,
  platforms: ['node', 'browser'],
  description:
    "tfjs's CPU kernels under another name: the worked example of docs/adding-a-backend.md",
  async probe() {
    // Nothing to detect for pure JavaScript; a GPU backend would look for its device here and
    // answer { available: false, reason, hint } when it is missing, without initialising it.
    return { available: true, detail: 'pure JavaScript, no native code needed' };
  },
  async load() {
    // Imported here, not at the top: registering the adapter must cost nothing.
    const tf = await import('@tensorflow/tfjs-core');
    const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
    // After release(), defineTfjsAdapter has registered the factory again: nothing to do.
    if (tf.findBackendFactory(TFJS_NAME)) return;
    // Priority 0, below tfjs's own backends, so tfjs never picks it by itself.
    tf.registerBackend(TFJS_NAME, () => new MathBackendCPU(), 0);
    for (const kernel of tf.getKernelsForBackend('cpu')) {
      if (!tf.getKernel(kernel.kernelName, TFJS_NAME)) {
        tf.registerKernel({ ...kernel, backendName: TFJS_NAME });
      }
    }
  },
  async describe() {
    const { version_cpu } = await import('@tensorflow/tfjs-backend-cpu');
    return {
      device: 'CPU (JavaScript, single thread), as "cpu-clone"',
      floatPrecision: 32,
      epsilon: 2 ** -23,
      capabilities: { syncReadback: true, multithreaded: false },
      versions: { '@tensorflow/tfjs-backend-cpu': version_cpu },
    };
  },
});

export default cpuCloneBackend;
