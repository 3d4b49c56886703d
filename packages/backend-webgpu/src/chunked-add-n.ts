import * as tf from '@tensorflow/tfjs-core';

// A workaround for tfjs 4.22's WebGPU kernels, installed when the backend is first activated.

const CHUNKED = Symbol.for('gradlab.webgpu.chunkedAddN');

/**
 * tfjs 4.22's WebGPU AddN binds every input as a storage buffer in one program, so an AddN of
 * more inputs than the device's maxStorageBuffersPerShaderStage - 1 fails validation and
 * returns garbage (gradlab sums one squared norm per weight tensor to get the global gradient
 * norm: 12 inputs for a 6-layer MLP). tfjs's own Concat splits its inputs the same way; this
 * does it for AddN: sums chunks that fit, then sums the partial sums.
 */
export function installChunkedAddN(): void {
  const original = tf.getKernel('AddN', 'webgpu');
  if (!original || (original.kernelFunc as { [CHUNKED]?: boolean })[CHUNKED]) return;
  type Args = Parameters<tf.KernelFunc>[0];
  const sum = (args: Args, inputs: tf.TensorInfo[]): tf.TensorInfo => {
    const backend = args.backend as tf.KernelBackend & {
      device?: { limits?: { maxStorageBuffersPerShaderStage?: number } };
    };
    const limit = backend.device?.limits?.maxStorageBuffersPerShaderStage ?? 8;
    const maxInputs = Math.max(2, limit - 1);
    if (inputs.length <= maxInputs) {
      return original.kernelFunc({
        ...args,
        inputs: inputs as unknown as tf.NamedTensorInfoMap,
      }) as tf.TensorInfo;
    }
    const partials: tf.TensorInfo[] = [];
    const made: tf.TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += maxInputs) {
      const chunk = inputs.slice(i, i + maxInputs);
      if (chunk.length === 1) {
        partials.push(chunk[0] as tf.TensorInfo);
      } else {
        const partial = sum(args, chunk);
        partials.push(partial);
        made.push(partial);
      }
    }
    const result = sum(args, partials);
    for (const t of made) backend.disposeData(t.dataId);
    return result;
  };
  const kernelFunc = ((args: Args) =>
    sum(args, Array.from(args.inputs as unknown as ArrayLike<tf.TensorInfo>))) as tf.KernelFunc & {
    [CHUNKED]?: boolean;
  };
  kernelFunc[CHUNKED] = true;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({ ...original, kernelFunc });
}
