import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  _FusedMatMul,
  BatchMatMul,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  broadcast_util,
  type _FusedMatMulAttrs as FusedMatMulAttrs,
  type _FusedMatMulInputs as FusedMatMulInputs,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { type BlasAddon, FUSED_ACTIVATIONS } from './native.js';

/**
 * The kernels @gradlab/backend-blas runs natively. Each works in place on the WASM backend's
 * heap: inputs are read where tfjs keeps them, the output is allocated by the backend first
 * (a malloc may grow the heap, so its buffer is looked up after) and written by OpenBLAS.
 * Whatever a native kernel does not cover (integer tensors, batch dimensions that broadcast
 * other than one-against-many, biases of other shapes) goes to the WASM kernel it replaces.
 */

type KernelArgs<I, A> = { inputs: I; backend: BackendWasm; attrs: A };

const offset = (backend: BackendWasm, t: TensorInfo): number => backend.getMemoryOffset(t.dataId);
// The heap is an Emscripten module field that the package's module types leave out.
const heap = (backend: BackendWasm): ArrayBuffer =>
  (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer as ArrayBuffer;

/** The WASM kernel a native one replaces, for the cases it leaves to it. */
function wasmKernel(name: string): KernelFunc {
  const k = getKernel(name, 'wasm');
  if (!k) throw new Error(`@tensorflow/tfjs-backend-wasm has no ${name} kernel to fall back to`);
  return k.kernelFunc;
}

interface Product {
  readonly outShape: number[];
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly strideA: number;
  readonly strideB: number;
}

/** The shapes of op(a) @ op(b) over batch dimensions, or null when they broadcast other than 1-vs-many. */
function product(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): Product | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = (transposeA ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
  const ka = (transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
  const kb = (transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
  const n = (transposeB ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
  util.assert(
    ka === kb,
    () =>
      `Error in matMul: inner shapes (${ka}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  const batch = util.sizeFromShape(outer);
  // One stride per operand covers equal batches and one matrix against many (stride 0); other
  // broadcasts ([2,1] against [1,3]) need index arithmetic the WASM kernel already has.
  if (!(batchA === batch || batchA === 1) || !(batchB === batch || batchB === 1)) return null;
  return {
    outShape: [...outer, m, n],
    batch,
    m,
    n,
    k: ka,
    strideA: batchA === 1 ? 0 : m * ka,
    strideB: batchB === 1 ? 0 : ka * n,
  };
}

function gemmInto(
  addon: BlasAddon,
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  p: Product,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const out = backend.makeOutput(p.outShape, 'float32');
  addon.gemm(
    heap(backend),
    offset(backend, a),
    offset(backend, b),
    offset(backend, out),
    p.batch,
    p.m,
    p.n,
    p.k,
    transposeA,
    transposeB,
    p.strideA * 4,
    p.strideB * 4,
  );
  return out;
}

export function nativeKernels(addon: BlasAddon, backendName: string): KernelConfig[] {
  const wasmBatchMatMul = wasmKernel(BatchMatMul);
  const wasmFusedMatMul = wasmKernel(_FusedMatMul);

  const batchMatMul = (args: KernelArgs<BatchMatMulInputs, BatchMatMulAttrs>): TensorInfo => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs;
    const p =
      a.dtype === 'float32' && b.dtype === 'float32' ? product(a, b, transposeA, transposeB) : null;
    if (!p) return wasmBatchMatMul(args as never) as TensorInfo;
    return gemmInto(addon, args.backend, a, b, p, transposeA, transposeB);
  };

  const fusedMatMul = (args: KernelArgs<FusedMatMulInputs, FusedMatMulAttrs>): TensorInfo => {
    const {
      a,
      b,
      bias,
      preluActivationWeights: prelu,
    } = args.inputs as {
      a: TensorInfo;
      b: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs;
    const code = FUSED_ACTIVATIONS[activation];
    const p =
      a.dtype === 'float32' && b.dtype === 'float32' ? product(a, b, transposeA, transposeB) : null;
    // Bias and PReLU slopes broadcast along the last axis (size n) or everywhere (size 1).
    const rowVector = (t: TensorInfo | undefined): boolean => {
      if (!t) return true;
      const size = util.sizeFromShape(t.shape);
      return (
        t.dtype === 'float32' &&
        (size === 1 || (size === p?.n && t.shape[t.shape.length - 1] === p.n))
      );
    };
    if (!p || code === undefined || !rowVector(bias) || !rowVector(prelu)) {
      return wasmFusedMatMul(args as never) as TensorInfo;
    }
    const backend = args.backend;
    const out = gemmInto(addon, backend, a, b, p, transposeA, transposeB);
    if (bias || code !== 0) {
      addon.biasActivate(
        heap(backend),
        offset(backend, out),
        p.batch * p.m,
        p.n,
        bias ? offset(backend, bias) : -1,
        bias ? util.sizeFromShape(bias.shape) : 0,
        code,
        leakyreluAlpha ?? 0.2,
        prelu ? offset(backend, prelu) : -1,
        prelu ? util.sizeFromShape(prelu.shape) : 0,
      );
    }
    return out;
  };

  return [
    { kernelName: BatchMatMul, backendName, kernelFunc: batchMatMul as unknown as KernelFunc },
    { kernelName: _FusedMatMul, backendName, kernelFunc: fusedMatMul as unknown as KernelFunc },
  ];
}
