import { type BackendAdapter, defineTfjsAdapter } from '@gradlab/core';

/**
 * The tfjs CPU backend: plain JavaScript kernels, slow and exact, available everywhere. It is
 * the oracle the conformance kit checks every other backend against.
 */
export const cpuBackend: BackendAdapter = defineTfjsAdapter({
  name: 'cpu',
  tfjsBackend: 'cpu',
  priority: 10,
  platforms: ['node', 'browser'],
  description:
    'tfjs CPU backend (pure JavaScript): the reference every other backend is checked against',
  async probe() {
    return { available: true, detail: 'pure JavaScript, no native code needed' };
  },
  async load() {
    await import('@tensorflow/tfjs-backend-cpu');
  },
  async describe() {
    const { version_cpu } = await import('@tensorflow/tfjs-backend-cpu');
    return {
      device: 'CPU (JavaScript, single thread)',
      floatPrecision: 32,
      epsilon: 2 ** -23,
      capabilities: { syncReadback: true, multithreaded: false },
      versions: { '@tensorflow/tfjs-backend-cpu': version_cpu },
    };
  },
});

export default cpuBackend;
