import type { KnownGap } from '@gradlab/core';

/**
 * Conformance tests (ids from @gradlab/testkit's CONFORMANCE_TESTS) that the WebGPU backend is
 * known to fail, each with the reason. Every entry was investigated on the software adapter
 * (Dawn, OpenGL ES compatibility mode, Mesa llvmpipe) before it was listed: a tolerance problem
 * belongs in the tolerance, not here.
 */
export const WEBGPU_KNOWN_GAPS: readonly KnownGap[] = [
  {
    test: 'kernel/matMul-broadcast',
    reason:
      "tfjs-backend-webgpu 4.22's BatchMatMul flattens each operand's batch dimensions and multiplies max(batchA, batchB) matrices, so batch shapes that broadcast both ways ([2, 1] against [1, 3]) throw 'Size(45) must match the product of shape 2,3,5,3' (equal batches and one matrix against many work; gradlab multiplies rank-2 matrices)",
  },
  {
    test: 'kernel/gather-out-of-range',
    reason:
      "tfjs-backend-webgpu 4.22's GatherV2 does not check its indices (its source: 'Unlike WebGL, WebGPU won't check if index is out of bound'): an index outside [0, N) gives zeros instead of an error (gradlab's indices come from its own batch sampler)",
  },
];
