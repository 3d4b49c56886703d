import * as tf from '@tensorflow/tfjs-core';

/**
 * How gradlab's own ops should use a tfjs backend's kernels, where backends differ in what is
 * fast. An adapter declares its backend's preferences when it loads; a backend that declares
 * nothing gets the defaults, which suit most.
 */
export interface KernelPreferences {
  /**
   * Compute a matMul's gradient as transpose-then-multiply instead of a matMul with transposeA
   * or transposeB. tfjs-backend-wasm wants this (its transposed matMul is about 10x slower than
   * a plain one); BLAS-backed and GPU backends do better with the transposed product, which
   * sgemm reads in place. Default false.
   */
  readonly explicitTransposeInMatMulGradient: boolean;
}

const DEFAULTS: KernelPreferences = { explicitTransposeInMatMulGradient: false };
const declared = new Map<string, KernelPreferences>();

export function declareKernelPreferences(
  tfjsBackend: string,
  preferences: Partial<KernelPreferences>,
): void {
  declared.set(tfjsBackend, { ...DEFAULTS, ...preferences });
}

/** The preferences of a tfjs backend (the active one by default). */
export function kernelPreferences(tfjsBackend: string = tf.getBackend()): KernelPreferences {
  return declared.get(tfjsBackend) ?? DEFAULTS;
}
