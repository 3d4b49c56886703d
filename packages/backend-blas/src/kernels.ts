import {
  DENSE_GRAD_KERNEL,
  L2_NORMS_KERNEL,
  SGD_UPDATE_KERNEL,
  SQUARE_SUMS_KERNEL,
} from '@gradlab/core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  _FusedMatMul,
  BatchMatMul,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  broadcast_util,
  Cast,
  type CastAttrs,
  type CastInputs,
  type _FusedMatMulAttrs as FusedMatMulAttrs,
  type _FusedMatMulInputs as FusedMatMulInputs,
  GatherV2,
  type GatherV2Attrs,
  type GatherV2Inputs,
  getKernel,
  Identity,
  type IdentityInputs,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
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

const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

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
    // In elements: native/blas.cc steps float pointers by them.
    p.strideA,
    p.strideB,
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

  const wasmGather = wasmKernel(GatherV2);
  const wasmCast = wasmKernel(Cast);

  // tfjs clones every tensor a kernel saves for its gradient (Engine.clone runs Identity), and
  // the WASM Identity copies the data: hundreds of copies a training step. No kernel here
  // writes to its inputs, so a clone can share the data, counted, as Reshape already does.
  const identity = (args: KernelArgs<IdentityInputs, NamedAttrMap>): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return wasmKernel(Identity)(args as never) as TensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };

  // A cast to the dtype a tensor already has (ReLU's gradient casts its float32 mask) is a
  // clone too.
  const cast = (args: KernelArgs<CastInputs, CastAttrs>): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== args.attrs.dtype || x.dtype === 'string')
      return wasmCast(args as never) as TensorInfo;
    return identity({ inputs: { x }, backend: args.backend, attrs: {} });
  };

  // Batches are gathered rows of the data set: whole rows copied, where the WASM kernel goes
  // element by element.
  const gather = (args: KernelArgs<GatherV2Inputs, GatherV2Attrs>): TensorInfo => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const bytes = BYTES_PER_ELEMENT[x.dtype];
    if ((args.attrs.batchDims ?? 0) !== 0 || indices.dtype !== 'int32' || bytes === undefined) {
      return wasmGather(args as never) as TensorInfo;
    }
    const axis = util.parseAxisParam(args.attrs.axis, x.shape)[0] as number;
    const axisSize = x.shape[axis] as number;
    const count = util.sizeFromShape(indices.shape);
    const outer = util.sizeFromShape(x.shape.slice(0, axis));
    const inner = util.sizeFromShape(x.shape.slice(axis + 1));
    const backend = args.backend;
    const out = backend.makeOutput(
      [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)],
      x.dtype,
    );
    const bad = addon.gather(
      heap(backend),
      offset(backend, x),
      offset(backend, out),
      outer,
      axisSize,
      inner * bytes,
      offset(backend, indices),
      count,
    );
    if (bad >= 0) {
      backend.disposeData(out.dataId);
      const value = backend.typedArrayFromHeap(indices)[bad];
      throw new Error(`GatherV2: the index value ${value} is not in [0, ${axisSize - 1}]`);
    }
    return out;
  };

  // Sums of squares (@gradlab/core's GradlabSquareSums: the per-layer gradient norms the
  // diagnostics read every step) and L2 norms (GradlabL2Norms: weight, update and signal norms,
  // clipping), of any number of tensors in one call instead of several kernels per tensor.
  const reduceSquares =
    (root: boolean, name: string) =>
    (args: KernelArgs<TensorInfo[], NamedAttrMap>): TensorInfo => {
      const tensors = Object.values(args.inputs) as TensorInfo[];
      const backend = args.backend;
      if (tensors.some((t) => t.dtype !== 'float32')) {
        throw new Error(`${name} takes float32 tensors only`);
      }
      const out = backend.makeOutput([tensors.length], 'float32');
      addon.squareSums(
        heap(backend),
        Float64Array.from(tensors, (t) => offset(backend, t)),
        Float64Array.from(tensors, (t) => util.sizeFromShape(t.shape)),
        offset(backend, out),
        root,
      );
      return out;
    };
  const squareSums = reduceSquares(false, SQUARE_SUMS_KERNEL);
  const l2Norms = reduceSquares(true, L2_NORMS_KERNEL);

  // The whole backward pass of a fused dense layer (@gradlab/core's GradlabDenseGrad) in one
  // call: the activation's derivative, both products and the bias gradient.
  const denseGrad = (
    args: KernelArgs<
      Record<string, TensorInfo>,
      { activation: string; alpha: number; inputGradient?: boolean }
    >,
  ): TensorInfo[] => {
    const { dy, x, kernel, y } = args.inputs as Record<'dy' | 'x' | 'kernel' | 'y', TensorInfo>;
    const code = FUSED_ACTIVATIONS[args.attrs.activation];
    if (
      code === undefined ||
      code === FUSED_ACTIVATIONS.relu6 ||
      code === FUSED_ACTIVATIONS.prelu
    ) {
      throw new Error(
        `${DENSE_GRAD_KERNEL}: activation "${args.attrs.activation}" is not supported`,
      );
    }
    const [rows, k] = x.shape as [number, number];
    const n = kernel.shape[1] as number;
    const backend = args.backend;
    const inputGradient = args.attrs.inputGradient !== false;
    const dx = inputGradient ? backend.makeOutput([rows, k], 'float32') : null;
    const dw = backend.makeOutput([k, n], 'float32');
    const db = backend.makeOutput([n], 'float32');
    const dz = code === FUSED_ACTIVATIONS.linear ? null : backend.makeOutput([rows, n], 'float32');
    addon.denseGrad(
      heap(backend),
      offset(backend, dy),
      offset(backend, x),
      offset(backend, kernel),
      offset(backend, y),
      dz ? offset(backend, dz) : -1,
      dx ? offset(backend, dx) : -1,
      offset(backend, dw),
      offset(backend, db),
      rows,
      k,
      n,
      code,
      args.attrs.alpha ?? 0.2,
    );
    if (dz) backend.disposeData(dz.dataId);
    return dx ? [dx, dw, db] : [dw, db];
  };

  // Plain SGD's update of every variable in one call (@gradlab/core's GradlabSgdUpdate).
  const sgdUpdate = (args: KernelArgs<TensorInfo[], { lr: number }>): TensorInfo[] => {
    const all = Object.values(args.inputs) as TensorInfo[];
    const count = all.length / 2;
    const values = all.slice(0, count);
    const grads = all.slice(count);
    const backend = args.backend;
    values.forEach((v, i) => {
      const g = grads[i] as TensorInfo;
      if (v.dtype !== 'float32' || g.dtype !== 'float32' || !util.arraysEqual(v.shape, g.shape)) {
        throw new Error(
          `${SGD_UPDATE_KERNEL}: value ${i} (${v.dtype} [${v.shape}]) and its gradient (${g.dtype} [${g.shape}]) must be float32 of one shape`,
        );
      }
    });
    const outs = values.map((v) => backend.makeOutput([...v.shape], 'float32'));
    addon.sgdUpdate(
      heap(backend),
      Float64Array.from(values, (t) => offset(backend, t)),
      Float64Array.from(grads, (t) => offset(backend, t)),
      Float64Array.from(outs, (t) => offset(backend, t)),
      Float64Array.from(values, (t) => util.sizeFromShape(t.shape)),
      args.attrs.lr,
    );
    return outs;
  };

  // The WASM kernels a native one falls back to bind their entry points to a WASM instance in
  // their setupFunc, which tfjs runs for the kernels registered under a backend's name each time
  // it activates that backend. A native kernel takes the WASM one's place under "blas", so it
  // carries that setup along: without it the fallback would call into whichever instance ran
  // the setup last (the "wasm" backend's heap, or none: "wasmBatchMatMul is not a function").
  const withFallbackSetup = (config: KernelConfig): KernelConfig => {
    const setupFunc = getKernel(config.kernelName, 'wasm')?.setupFunc;
    return setupFunc ? { ...config, setupFunc } : config;
  };

  return [
    { kernelName: SGD_UPDATE_KERNEL, backendName, kernelFunc: sgdUpdate as unknown as KernelFunc },
    { kernelName: L2_NORMS_KERNEL, backendName, kernelFunc: l2Norms as unknown as KernelFunc },
    { kernelName: DENSE_GRAD_KERNEL, backendName, kernelFunc: denseGrad as unknown as KernelFunc },
    {
      kernelName: SQUARE_SUMS_KERNEL,
      backendName,
      kernelFunc: squareSums as unknown as KernelFunc,
    },
    { kernelName: Identity, backendName, kernelFunc: identity as unknown as KernelFunc },
    { kernelName: Cast, backendName, kernelFunc: cast as unknown as KernelFunc },
    { kernelName: GatherV2, backendName, kernelFunc: gather as unknown as KernelFunc },
    { kernelName: BatchMatMul, backendName, kernelFunc: batchMatMul as unknown as KernelFunc },
    { kernelName: _FusedMatMul, backendName, kernelFunc: fusedMatMul as unknown as KernelFunc },
  ].map(withFallbackSetup);
}
