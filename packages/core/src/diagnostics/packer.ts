import * as tf from '@tensorflow/tfjs-core';

/**
 * Collects the scalars a step wants to read back into ONE 1-D tensor, so the step costs a single
 * `await data()`: each read-back is a device sync, and on WebGPU or WASM many small syncs cost
 * more than the arithmetic. `scalar`/`vector` return the slot index to decode on the host.
 */
export class SummaryPacker {
  private readonly parts: tf.Tensor[] = [];
  private size = 0;

  scalar(t: tf.Tensor): number {
    this.parts.push(tf.reshape(t, [1]));
    return this.size++;
  }

  vector(t: tf.Tensor1D): number {
    const base = this.size;
    this.parts.push(t);
    this.size += t.shape[0];
    return base;
  }

  get length(): number {
    return this.size;
  }

  pack(): tf.Tensor1D {
    return this.parts.length === 0 ? tf.zeros([0]) : (tf.concat(this.parts) as tf.Tensor1D);
  }
}

/** Reads slot `i` of a packed summary; -1 (a slot that was not measured) reads as null. */
export function slotValue(values: ArrayLike<number>, i: number): number | null {
  return i < 0 ? null : (values[i] as number);
}
