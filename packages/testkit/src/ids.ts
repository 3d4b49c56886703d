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
  | (typeof MODEL_TESTS)[number]
  | (typeof RUN_TESTS)[number];

export const CONFORMANCE_TESTS: readonly string[] = Object.freeze([
  ...ADAPTER_TESTS,
  ...GRADIENT_TESTS,
  ...MODEL_TESTS,
  ...RUN_TESTS,
]);
