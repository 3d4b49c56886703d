/**
 * Every test of the conformance kit, by id, in the order it runs. The ids are stable: a
 * backend's `knownGaps` name them, and `vitest -t <id>` selects one.
 */
export const ADAPTER_TESTS = [
  'adapter/spec',
  'adapter/probe',
  'adapter/activate',
  'adapter/release',
] as const;

export const GRADIENT_TESTS = [
  'gradient/matMul',
  'gradient/matMul-stock',
  'gradient/add-bias',
  'gradient/sigmoid',
  'gradient/tanh',
  'gradient/relu',
  'gradient/leaky-relu',
  'gradient/prelu',
  'gradient/elu',
  'gradient/selu',
  'gradient/gelu',
  'gradient/batchnorm',
  'gradient/layernorm',
  'gradient/softmax-cross-entropy',
  'gradient/mse',
  'gradient/split',
  'gradient/concat',
  'gradient/unstack',
  'gradient/gather',
] as const;

/**
 * The kernels a backend is most likely to get wrong, each against the oracle (or a float64
 * computation on the host) on every backend: a native backend replaces exactly these. Cases
 * that a tfjs backend package is known to fail have ids of their own, so that a known gap
 * there leaves the rest of the kernel checked.
 */
export const KERNEL_TESTS = [
  'kernel/matMul',
  'kernel/matMul-broadcast',
  'kernel/fused-matMul',
  'kernel/fused-matMul-bias-batch-transpose',
  'kernel/fused-matMul-bias-shapes',
  'kernel/fused-matMul-matrix-bias',
  'kernel/gather',
  'kernel/gather-batch-dims',
  'kernel/gather-out-of-range',
  'kernel/identity-cast',
  'kernel/cast-to-bool',
  'kernel/norms',
  'kernel/dense',
] as const;

export const MODEL_TESTS = [
  'model/mlp',
  'model/residual',
  'model/batchnorm',
  'model/layernorm',
  'model/prelu',
  'model/rnn',
  'model/lstm',
  'model/gru',
] as const;

export const RUN_TESTS = [
  'training/mitigations',
  'numerics/norm-range',
  'determinism/seed',
  'memory/no-leak',
  'readback/async-only',
  'probe/unavailable',
] as const;

export type ConformanceTestId =
  | (typeof ADAPTER_TESTS)[number]
  | (typeof GRADIENT_TESTS)[number]
  | (typeof KERNEL_TESTS)[number]
  | (typeof MODEL_TESTS)[number]
  | (typeof RUN_TESTS)[number];

export const CONFORMANCE_TESTS: readonly string[] = Object.freeze([
  ...ADAPTER_TESTS,
  ...GRADIENT_TESTS,
  ...KERNEL_TESTS,
  ...MODEL_TESTS,
  ...RUN_TESTS,
]);
