import { Activation, applyActivation, dense, fusable, l2Norms, squareSums } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { fmt, type Mismatches } from './compare.js';
import type { KitContext } from './context.js';
import { type HostTensor, host } from './gradients.js';
import type { KERNEL_TESTS } from './ids.js';

/**
 * The 'kernel/*' tests: the kernels a backend is most likely to get wrong, because a native or
 * accelerated backend replaces exactly these (matrix products with their transposes and batch
 * broadcasts, the fused matMul's bias and activation epilogue, gather, zero-copy clones and
 * casts, and gradlab's own optional kernels: GradlabSquareSums, GradlabL2Norms and
 * GradlabDenseGrad, see @gradlab/core's backends/fused-kernels.ts). Each case runs on the
 * oracle and on the backend from the same host inputs, is compared within the kit's tolerance
 * (copies exactly), and must leave tf.memory() where it found it, on both.
 */

export type KernelTestId = (typeof KERNEL_TESTS)[number];

type Fn = (xs: readonly tf.Tensor[]) => tf.Tensor | tf.Tensor[];

interface KernelVariant {
  readonly label: string;
  readonly inputs: readonly HostTensor[];
  /** What runs on the backend under test: one tensor, or several (compared in order). */
  readonly run: Fn;
  /** What runs on the oracle, when not `run`: the unfused composite that defines the kernel. */
  readonly reference?: Fn;
  /** The gradient of the (one) output, for a seeded dy, with respect to these inputs too. */
  readonly wrt?: readonly number[];
  /** A copy, not arithmetic: the values must be identical (on fp32 backends, floats too). */
  readonly exact?: boolean;
}

interface Outcome {
  readonly names: string[];
  readonly shapes: number[][];
  readonly dtypes: string[];
  readonly values: number[][];
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] as string;
}

function upload(x: HostTensor): tf.Tensor {
  return tf.tensor(x.values, [...x.shape], x.dtype);
}

const asList = (r: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(r) ? r : [r]);

async function read(t: tf.Tensor): Promise<number[]> {
  return Array.from((await t.data()) as ArrayLike<number>);
}

// ---- memory ------------------------------------------------------------------------------

interface Footprint {
  readonly numTensors: number;
  readonly numDataBuffers: number;
  readonly numBytes: number;
}

function footprint(): Footprint {
  const { numTensors, numDataBuffers, numBytes } = tf.memory();
  return { numTensors, numDataBuffers, numBytes };
}

const show = (f: Footprint) =>
  `${f.numTensors} tensors, ${f.numDataBuffers} data buffers, ${f.numBytes} bytes`;

/**
 * Runs `fn` and records in `m` when tf.memory() is not back where it was after it: every case
 * disposes all it made, so a kernel that leaks an output, an intermediate or a reference count
 * shows here.
 */
async function noGrowth<T>(m: Mismatches, where: string, fn: () => Promise<T>): Promise<T> {
  const before = footprint();
  const result = await fn();
  const after = footprint();
  if (
    after.numTensors !== before.numTensors ||
    after.numDataBuffers !== before.numDataBuffers ||
    after.numBytes !== before.numBytes
  ) {
    m.add(`${where}: tf.memory() went from ${show(before)} to ${show(after)}`);
  }
  return result;
}

// ---- comparing outcomes ------------------------------------------------------------------

/** Both backends compute in float32, so a copy of float32 values must be bit for bit. */
async function bothFp32(ctx: KitContext): Promise<boolean> {
  const o = await ctx.onOracle();
  const a = await ctx.onBackend();
  return o.floatPrecision === 32 && a.floatPrecision === 32;
}

/** Records the first entry where `actual` is not `expected` exactly (NaN equals NaN). */
function identical(
  m: Mismatches,
  what: string,
  expected: readonly number[],
  actual: readonly number[],
  who: string = m.labels.actual,
): void {
  if (expected.length !== actual.length) {
    m.add(`${what}: ${expected.length} values expected, ${actual.length} on ${who}`);
    return;
  }
  const i = expected.findIndex((e, j) => !Object.is(e, actual[j]));
  if (i >= 0) {
    const count = expected.filter((e, j) => !Object.is(e, actual[j])).length;
    m.add(
      `${what}: at [${i}] ${fmt(expected[i])} expected, ${who} gives ${fmt(actual[i])} (${count} of ${expected.length} values differ; they must be identical)`,
    );
  }
}

function compareOutcomes(
  m: Mismatches,
  label: string,
  expected: Outcome,
  actual: Outcome,
  exact: boolean,
): void {
  if (expected.names.length !== actual.names.length) {
    m.add(
      `${label}: ${actual.names.length} outputs on ${m.labels.actual}, ${expected.names.length} on ${m.labels.expected}`,
    );
    return;
  }
  expected.names.forEach((name, i) => {
    const what = `${label}: ${name}`;
    const es = expected.shapes[i] as number[];
    const as = actual.shapes[i] as number[];
    if (es.join(',') !== as.join(',')) {
      m.add(`${what} has shape [${as}] on ${m.labels.actual}, [${es}] on ${m.labels.expected}`);
      return;
    }
    const dtype = expected.dtypes[i] as string;
    if (actual.dtypes[i] !== dtype) {
      m.add(`${what} has dtype ${actual.dtypes[i]} on ${m.labels.actual}, ${dtype} expected`);
      return;
    }
    const ev = expected.values[i] as number[];
    const av = actual.values[i] as number[];
    if (dtype !== 'float32' || exact) identical(m, what, ev, av);
    else m.array(what, ev, av);
  });
}

/** The outputs of `fn` (and the gradients `v.wrt` asks for) on the active backend. */
async function evaluate(v: KernelVariant, fn: Fn): Promise<Outcome> {
  const inputs = v.inputs.map(upload);
  const made: tf.Tensor[] = [];
  try {
    const outs = tf.tidy(() => asList(fn(inputs)));
    made.push(...outs);
    const names = outs.length === 1 ? ['value'] : outs.map((_, i) => `output ${i}`);
    const results = [...outs];
    if (v.wrt) {
      const y = outs[0] as tf.Tensor;
      const dy = upload(host(`dy/${v.label}`).normal(y.shape));
      made.push(dy);
      const wrt = v.wrt;
      const grads = tf.tidy(() =>
        tf.grads((...xs: tf.Tensor[]) => {
          const substituted = inputs.map((t, k) => {
            const j = wrt.indexOf(k);
            return j >= 0 ? (xs[j] as tf.Tensor) : t;
          });
          return asList(fn(substituted))[0] as tf.Tensor;
        })(
          wrt.map((k) => inputs[k] as tf.Tensor),
          dy,
        ),
      );
      made.push(...grads);
      results.push(...grads);
      names.push(...wrt.map((k) => `gradient wrt input ${k}`));
    }
    const values: number[][] = [];
    for (const t of results) values.push(await read(t));
    return {
      names,
      shapes: results.map((t) => [...t.shape]),
      dtypes: results.map((t) => t.dtype),
      values,
    };
  } finally {
    tf.dispose([...inputs, ...made]);
  }
}

/** Runs every variant on the oracle (its reference) and on the backend, and compares. */
async function checkVariants(
  ctx: KitContext,
  id: KernelTestId,
  variants: readonly KernelVariant[],
): Promise<void> {
  const exactFloats = await bothFp32(ctx);
  const m = await ctx.mismatches();
  for (const v of variants) {
    await ctx.onOracle();
    const expected = await noGrowth(m, `${v.label} on ${ctx.labels.expected}`, () =>
      evaluate(v, v.reference ?? v.run),
    );
    await ctx.onBackend();
    const actual = await noGrowth(m, `${v.label} on ${ctx.labels.actual}`, () =>
      evaluate(v, v.run),
    ).catch((e: unknown) => {
      m.add(`${v.label}: throws on ${ctx.labels.actual}: ${message(e)}`);
      return null;
    });
    if (actual) compareOutcomes(m, v.label, expected, actual, Boolean(v.exact) && exactFloats);
  }
  m.check(id);
}

// ---- matMul ------------------------------------------------------------------------------

type Batch = readonly number[];

/** Operand shapes of op(a) [..., m, k] @ op(b) [..., k, n] with the given batch dimensions. */
function operands(
  m: number,
  k: number,
  n: number,
  batchA: Batch,
  batchB: Batch,
  ta: boolean,
  tb: boolean,
): [number[], number[]] {
  return [
    [...batchA, ...(ta ? [k, m] : [m, k])],
    [...batchB, ...(tb ? [n, k] : [k, n])],
  ];
}

const flags = (ta: boolean, tb: boolean) =>
  ta || tb
    ? ` (${[ta ? 'transposeA' : '', tb ? 'transposeB' : ''].filter(Boolean).join(', ')})`
    : '';

/**
 * Whether the operands' batch dimensions are the same: tfjs's matMul gradient (stock and fused)
 * does not sum the gradient of a broadcast operand over its broadcast dimensions, so on every
 * backend, the oracle too, gradients are taken only then; broadcasts are checked forward.
 */
const sameBatch = (a: Batch, b: Batch) => a.join(',') === b.join(',');

const BOTH = [false, true] as const;
const EVERY_TRANSPOSE = BOTH.flatMap((ta) => BOTH.map((tb) => [ta, tb] as const));

function matMulCase(
  h: ReturnType<typeof host>,
  [m, k, n]: readonly [number, number, number],
  batchA: Batch,
  batchB: Batch,
  ta = false,
  tb = false,
): KernelVariant {
  const [sa, sb] = operands(m, k, n, batchA, batchB, ta, tb);
  return {
    label: `matMul [${sa}] @ [${sb}]${flags(ta, tb)}`,
    inputs: [h.normal(sa), h.normal(sb)],
    ...(sameBatch(batchA, batchB) ? { wrt: [0, 1] } : {}),
    run: ([a, b]) => tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, tb),
  };
}

function matMulVariants(): KernelVariant[] {
  const h = host('kernel/matMul');
  const v: KernelVariant[] = [];
  // Every transpose combination, on shapes where rows, columns and depth all differ, and on
  // sizes of 1 and primes (a dimension of 1 is where leading dimensions go wrong).
  for (const mkn of [
    [5, 7, 3],
    [1, 7, 13],
    [13, 1, 5],
  ] as const) {
    for (const [ta, tb] of EVERY_TRANSPOSE) v.push(matMulCase(h, mkn, [], [], ta, tb));
  }
  for (const mkn of [
    [1, 1, 1],
    [7, 13, 1],
    [17, 31, 11],
  ] as const) {
    v.push(matMulCase(h, mkn, [], []));
  }
  // Batches: equal, and one matrix against many, either way round (rank 2 or a batch of 1).
  for (const [ta, tb] of EVERY_TRANSPOSE) v.push(matMulCase(h, [5, 7, 3], [3], [3], ta, tb));
  v.push(matMulCase(h, [1, 7, 13], [3], [3]));
  for (const [ta, tb] of EVERY_TRANSPOSE) {
    v.push(matMulCase(h, [5, 7, 3], [], [4], ta, tb));
    v.push(matMulCase(h, [5, 7, 3], [4], [], ta, tb));
  }
  v.push(matMulCase(h, [5, 7, 3], [1], [4]));
  v.push(matMulCase(h, [5, 7, 3], [4], [1], false, true));
  v.push(matMulCase(h, [4, 5, 6], [2, 3], [2, 3]));
  v.push(matMulCase(h, [4, 5, 6], [2, 3], [], true, false));
  v.push(matMulCase(h, [4, 5, 6], [], [2, 3], false, true));
  return v;
}

/** Batch dimensions that broadcast both ways, which no single batch stride describes. */
function matMulBroadcastVariants(): KernelVariant[] {
  const h = host('kernel/matMul-broadcast');
  return [
    ...EVERY_TRANSPOSE.map(([ta, tb]) => matMulCase(h, [5, 7, 3], [2, 1], [1, 3], ta, tb)),
    matMulCase(h, [4, 1, 6], [3, 1], [2]),
    matMulCase(h, [1, 5, 2], [1, 2], [3, 1], true, true),
  ];
}

// ---- fused matMul ------------------------------------------------------------------------

type FusedActivation = tf.fused.Activation;
type BiasShape = 'none' | '[n]' | '[1]' | '[]' | '[1, n]' | '[m, n]' | '[b, m, n]' | '[b, 1, n]';
type SlopeShape = '[n]' | '[1]' | '[]' | '[m, n]';

interface FusedOptions {
  readonly mkn: readonly [number, number, number];
  readonly batchA?: Batch;
  readonly batchB?: Batch;
  readonly ta?: boolean;
  readonly tb?: boolean;
  readonly bias: BiasShape;
  readonly activation: FusedActivation;
  /** leakyrelu's slope; tfjs's default (0.2) when absent. */
  readonly alpha?: number;
  /** prelu's slopes. */
  readonly slopes?: SlopeShape;
  /**
   * Gradients too (where the batches are the same): tf.fused.matMul runs the fused kernel under
   * the tape only with 'linear'; with another activation it runs the unfused ops there.
   */
  readonly grads?: boolean;
}

/** act(z) as the unfused tfjs ops that define the fused epilogue. */
function activate(
  z: tf.Tensor,
  activation: FusedActivation,
  alpha: number,
  slopes: tf.Tensor | undefined,
): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(z);
    case 'relu6':
      return tf.relu6(z);
    case 'elu':
      return tf.elu(z);
    case 'leakyrelu':
      return tf.leakyRelu(z, alpha);
    case 'prelu':
      return tf.prelu(z, slopes as tf.Tensor);
    case 'sigmoid':
      return tf.sigmoid(z);
    default:
      return z;
  }
}

function fusedCase(h: ReturnType<typeof host>, o: FusedOptions): KernelVariant {
  const [m, k, n] = o.mkn;
  const ta = o.ta ?? false;
  const tb = o.tb ?? false;
  const batchA = o.batchA ?? [];
  const batchB = o.batchB ?? [];
  const [sa, sb] = operands(m, k, n, batchA, batchB, ta, tb);
  const batch = batchA.length >= batchB.length ? batchA : batchB;
  const biasShape: Record<BiasShape, number[] | null> = {
    none: null,
    '[n]': [n],
    '[1]': [1],
    '[]': [],
    '[1, n]': [1, n],
    '[m, n]': [m, n],
    '[b, m, n]': [...batch, m, n],
    '[b, 1, n]': [...batch, 1, n],
  };
  const slopeShape: Record<SlopeShape, number[]> = {
    '[n]': [n],
    '[1]': [1],
    '[]': [],
    '[m, n]': [m, n],
  };
  const bias = biasShape[o.bias];
  const slopes = o.slopes ? slopeShape[o.slopes] : null;
  // a at 1.5: pre-activations of a few units, past relu6's 6 and into sigmoid's tails.
  const inputs: HostTensor[] = [h.normal(sa, 1.5), h.normal(sb)];
  if (bias) inputs.push(h.normal(bias));
  if (slopes) inputs.push(h.uniform(slopes, 0.05, 0.6));
  const alpha = o.alpha ?? 0.2;
  const split = (xs: readonly tf.Tensor[]) => {
    const [a, b, ...rest] = xs as tf.Tensor[];
    return {
      a: a as tf.Tensor,
      b: b as tf.Tensor,
      bias: bias ? rest.shift() : undefined,
      slopes: slopes ? rest.shift() : undefined,
    };
  };
  const act =
    o.activation === 'leakyrelu'
      ? `leakyrelu${o.alpha === undefined ? '' : ` alpha ${o.alpha}`}`
      : o.activation === 'prelu'
        ? `prelu, slopes ${o.slopes}`
        : o.activation;
  return {
    label: `fused matMul [${sa}] @ [${sb}]${flags(ta, tb)}, bias ${o.bias}, ${act}`,
    inputs,
    ...(o.grads && sameBatch(batchA, batchB) ? { wrt: inputs.map((_, i) => i) } : {}),
    run: (xs) => {
      const p = split(xs);
      return tf.fused.matMul({
        a: p.a,
        b: p.b,
        transposeA: ta,
        transposeB: tb,
        ...(p.bias ? { bias: p.bias } : {}),
        activation: o.activation,
        ...(p.slopes ? { preluActivationWeights: p.slopes } : {}),
        ...(o.alpha === undefined ? {} : { leakyreluAlpha: o.alpha }),
      });
    },
    reference: (xs) => {
      const p = split(xs);
      const z = tf.matMul(p.a, p.b, ta, tb);
      return activate(p.bias ? tf.add(z, p.bias) : z, o.activation, alpha, p.slopes);
    },
  };
}

/**
 * Every fused activation on plain products [m, k] @ [k, n] (dense()'s case), with a bias per
 * unit or none; transposed and batched products without a bias.
 */
function fusedVariants(): KernelVariant[] {
  const h = host('kernel/fused-matMul');
  const mkn = [6, 7, 5] as const;
  const activations: Omit<FusedOptions, 'mkn' | 'bias'>[] = [
    { activation: 'linear', grads: true },
    { activation: 'relu' },
    { activation: 'relu6' },
    { activation: 'elu' },
    { activation: 'leakyrelu' },
    { activation: 'leakyrelu', alpha: 0.05 },
    { activation: 'leakyrelu', alpha: 1.5 },
    { activation: 'prelu', slopes: '[n]' },
    { activation: 'prelu', slopes: '[1]' },
    { activation: 'prelu', slopes: '[]' },
    { activation: 'prelu', slopes: '[m, n]' },
    { activation: 'sigmoid' },
  ];
  return [
    ...activations.map((a) => fusedCase(h, { mkn, bias: '[n]', ...a })),
    ...activations.map((a) => fusedCase(h, { mkn, bias: 'none', ...a })),
    // Sizes of 1 and primes.
    fusedCase(h, { mkn: [1, 7, 13], bias: '[n]', activation: 'sigmoid' }),
    fusedCase(h, { mkn: [13, 1, 5], bias: '[n]', activation: 'elu' }),
    fusedCase(h, { mkn: [7, 13, 1], bias: '[n]', activation: 'leakyrelu', alpha: 0.05 }),
    fusedCase(h, { mkn: [1, 1, 1], bias: '[n]', activation: 'relu' }),
    fusedCase(h, { mkn: [17, 31, 11], bias: '[n]', activation: 'linear', grads: true }),
    // Transposes and batches, the epilogue without a bias.
    ...EVERY_TRANSPOSE.flatMap(([ta, tb]) => [
      fusedCase(h, { mkn, ta, tb, bias: 'none', activation: 'relu6' }),
      fusedCase(h, { mkn, ta, tb, bias: 'none', activation: 'linear', grads: true }),
    ]),
    fusedCase(h, { mkn, ta: true, tb: true, bias: 'none', activation: 'prelu', slopes: '[n]' }),
    fusedCase(h, { mkn, batchA: [3], batchB: [3], bias: 'none', activation: 'elu' }),
    fusedCase(h, {
      mkn,
      batchA: [3],
      batchB: [3],
      bias: 'none',
      activation: 'linear',
      grads: true,
    }),
    fusedCase(h, { mkn, batchB: [4], bias: 'none', activation: 'prelu', slopes: '[n]' }),
    fusedCase(h, { mkn, batchA: [4], tb: true, bias: 'none', activation: 'sigmoid' }),
  ];
}

/** A bias per unit on transposed and batched products (one against many either way round). */
function fusedBiasBatchTransposeVariants(): KernelVariant[] {
  const h = host('kernel/fused-matMul-bias-batch-transpose');
  const mkn = [6, 7, 5] as const;
  return [
    ...EVERY_TRANSPOSE.filter(([ta, tb]) => ta || tb).flatMap(([ta, tb]) => [
      fusedCase(h, { mkn, ta, tb, bias: '[n]', activation: 'relu' }),
      fusedCase(h, { mkn, ta, tb, bias: '[n]', activation: 'linear', grads: true }),
    ]),
    fusedCase(h, { mkn, ta: true, tb: true, bias: '[n]', activation: 'prelu', slopes: '[n]' }),
    fusedCase(h, { mkn: [13, 1, 5], tb: true, bias: '[n]', activation: 'elu' }),
    fusedCase(h, { mkn, batchA: [3], batchB: [3], bias: '[n]', activation: 'relu' }),
    fusedCase(h, { mkn, batchA: [3], batchB: [3], bias: '[n]', activation: 'linear', grads: true }),
    fusedCase(h, { mkn, batchB: [4], bias: '[n]', activation: 'prelu', slopes: '[n]' }),
    fusedCase(h, { mkn, batchA: [4], tb: true, bias: '[n]', activation: 'leakyrelu', alpha: 0.05 }),
    fusedCase(h, { mkn, batchA: [1], batchB: [4], ta: true, bias: '[n]', activation: 'sigmoid' }),
    fusedCase(h, { mkn, batchA: [4], bias: '[n]', activation: 'linear' }),
  ];
}

/** Biases that broadcast from a single value, or that are rank 2 and one row. */
function fusedBiasShapeVariants(): KernelVariant[] {
  const h = host('kernel/fused-matMul-bias-shapes');
  const mkn = [6, 7, 5] as const;
  return (['[1]', '[]', '[1, n]'] as const).flatMap((bias) => [
    fusedCase(h, { mkn, bias, activation: 'linear', grads: true }),
    fusedCase(h, { mkn, bias, activation: 'relu' }),
    fusedCase(h, { mkn, bias, activation: 'prelu', slopes: '[n]' }),
    fusedCase(h, { mkn, ta: true, tb: true, bias, activation: 'sigmoid' }),
    fusedCase(h, { mkn, batchA: [3], batchB: [3], bias, activation: 'elu' }),
    fusedCase(h, { mkn, batchB: [4], bias, activation: 'leakyrelu', alpha: 0.05 }),
  ]);
}

/** Biases with a value per output row (and per batch). */
function fusedMatrixBiasVariants(): KernelVariant[] {
  const h = host('kernel/fused-matMul-matrix-bias');
  const mkn = [6, 7, 5] as const;
  return [
    fusedCase(h, { mkn, bias: '[m, n]', activation: 'linear', grads: true }),
    fusedCase(h, { mkn, bias: '[m, n]', activation: 'relu' }),
    fusedCase(h, { mkn, bias: '[m, n]', activation: 'prelu', slopes: '[n]' }),
    fusedCase(h, { mkn, ta: true, tb: true, bias: '[m, n]', activation: 'elu' }),
    fusedCase(h, { mkn, batchA: [3], batchB: [3], bias: '[m, n]', activation: 'sigmoid' }),
    fusedCase(h, { mkn, batchA: [3], batchB: [3], bias: '[b, m, n]', activation: 'relu6' }),
    fusedCase(h, { mkn, batchB: [4], bias: '[b, 1, n]', activation: 'linear' }),
  ];
}

// ---- gather ------------------------------------------------------------------------------

function ints(shape: readonly number[], values: readonly number[]): HostTensor {
  return { shape, values: Int32Array.from(values), dtype: 'int32' };
}

function bools(shape: readonly number[], values: readonly number[]): HostTensor {
  return { shape, values: Uint8Array.from(values), dtype: 'bool' };
}

function gatherCase(
  x: HostTensor,
  indices: HostTensor,
  axis: number,
  batchDims = 0,
  note = '',
): KernelVariant {
  return {
    label: `gather ${x.dtype} [${x.shape}] along axis ${axis}${batchDims ? `, batchDims ${batchDims}` : ''} at [${Array.from(indices.values)}] (indices [${indices.shape}])${note}`,
    inputs: [x, indices],
    exact: true,
    run: ([t, i]) => tf.gather(t as tf.Tensor, i as tf.Tensor, axis, batchDims),
  };
}

function gatherVariants(): KernelVariant[] {
  const h = host('kernel/gather');
  const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const intData = (shape: number[]) =>
    ints(
      shape,
      Array.from({ length: count(shape) }, (_, i) =>
        i === 1 ? 2147483647 : i === 2 ? -2147483648 : ((i * 7919) % 1000) - 500,
      ),
    );
  const boolData = (shape: number[]) =>
    bools(
      shape,
      Array.from({ length: count(shape) }, (_, i) => ((i * 37) % 3 === 0 ? 1 : 0)),
    );
  return [
    gatherCase(h.normal([10, 3]), ints([6], [3, 1, 3, 9, 0, 3]), 0, 0, ', repeated'),
    gatherCase(h.normal([10, 3]), ints([3, 2], [9, 0, 0, 9, 4, 4]), 0, 0, ', 2-D indices'),
    gatherCase(h.normal([6, 7]), ints([5], [6, 0, 6, 2, 3]), 1),
    gatherCase(h.normal([6, 7]), ints([2, 2], [1, 6, 6, 1]), -1, 0, ', 2-D indices'),
    gatherCase(h.normal([4, 5, 3]), ints([3], [4, 4, 0]), 1),
    gatherCase(h.normal([4, 5, 3]), ints([2, 3], [2, 0, 2, 1, 1, 2]), 2, 0, ', 2-D indices'),
    gatherCase(h.normal([13]), ints([4], [12, 0, 12, 5]), 0),
    gatherCase(h.normal([1, 7]), ints([3], [0, 0, 0]), 0),
    gatherCase(intData([7, 4]), ints([5], [6, 0, 6, 2, 1]), 0),
    gatherCase(intData([3, 11]), ints([2, 3], [10, 0, 10, 5, 1, 1]), 1, 0, ', 2-D indices'),
    gatherCase(boolData([7, 4]), ints([3, 2], [6, 0, 6, 3, 1, 1]), 0, 0, ', 2-D indices'),
    gatherCase(boolData([3, 9]), ints([4], [8, 0, 8, 4]), 1),
    // From a kernel's output: a device backend may gather small host data on the host instead.
    ofKernelOutput(
      gatherCase(h.normal([10, 3]), ints([6], [3, 1, 3, 9, 0, 3]), 0, 0, ', repeated'),
    ),
    ofKernelOutput(gatherCase(h.normal([4, 5, 3]), ints([2, 3], [2, 0, 2, 1, 1, 4]), 1)),
    ofKernelOutput(gatherCase(intData32([3, 11]), ints([4], [10, 0, 10, 5]), 1)),
    ofKernelOutput(gatherCase(boolData([7, 4]), ints([3], [6, 0, 6]), 0)),
  ];
}

/** The same gather of the negation of x (logical not for bool), computed on the backend. */
function ofKernelOutput(v: KernelVariant): KernelVariant {
  const [x, indices] = v.inputs as [HostTensor, HostTensor];
  const flip = (t: tf.Tensor) => (x.dtype === 'bool' ? tf.logicalNot(t) : tf.neg(t));
  return {
    ...v,
    label: `${v.label}, of -x (computed on the backend)`,
    run: ([t, i]) => v.run([flip(t as tf.Tensor), i as tf.Tensor]),
    inputs: [x, indices],
  };
}

/** Gathers within each batch (batchDims > 0): what a native row copy leaves to its fallback. */
function gatherBatchDimsVariants(): KernelVariant[] {
  const h = host('kernel/gather-batch-dims');
  return [
    gatherCase(h.normal([3, 5, 2]), ints([3, 4], [4, 0, 4, 1, 2, 2, 0, 3, 1, 4, 4, 0]), 1, 1),
    gatherCase(h.normal([2, 3, 5]), ints([2, 4], [4, 0, 4, 1, 3, 2, 0, 3]), 2, 1),
    gatherCase(h.normal([2, 3, 5, 2]), ints([2, 3, 2], [4, 0, 1, 1, 3, 3, 2, 0, 0, 4, 1, 2]), 2, 2),
  ];
}

/** An index outside [0, N) must throw (at the op or at the read-back), and leave nothing. */
async function checkGatherOutOfRange(ctx: KitContext): Promise<void> {
  const exactFloats = await bothFp32(ctx);
  const m = await ctx.mismatches();
  const h = host('kernel/gather-out-of-range');
  const cases = [
    { x: h.normal([4, 3]), indices: ints([3], [0, 4, 1]), axis: 0, what: 'index N' },
    { x: h.normal([4, 3]), indices: ints([2], [2, -1]), axis: 0, what: 'index -1' },
    { x: intData32([3, 5]), indices: ints([2], [5, 0]), axis: 1, what: 'index N along axis 1' },
    { x: h.normal([4, 3]), indices: ints([1], [1000000]), axis: 0, what: 'index 1e6' },
  ];
  // After every refusal, a valid gather must still give the right rows.
  const valid = gatherCase(h.normal([5, 2]), ints([3], [4, 0, 4]), 0);
  const expectedValid = await (async () => {
    await ctx.onOracle();
    return evaluate(valid, valid.run);
  })();
  for (const side of ['oracle', 'backend'] as const) {
    const label = side === 'oracle' ? ctx.labels.expected : ctx.labels.actual;
    for (const c of cases) {
      const what = `gather ${c.x.dtype} [${c.x.shape}] along axis ${c.axis} at [${Array.from(c.indices.values)}] (${c.what})`;
      if (side === 'oracle') await ctx.onOracle();
      else await ctx.onBackend();
      const threw = await noGrowth(m, `${what} on ${label}`, async () => {
        const x = upload(c.x);
        const i = upload(c.indices);
        try {
          const y = tf.gather(x, i, c.axis);
          try {
            await y.data();
          } finally {
            y.dispose();
          }
          return false;
        } catch {
          return true;
        } finally {
          tf.dispose([x, i]);
        }
      });
      if (!threw) {
        m.add(
          side === 'oracle'
            ? `${what}: the ${label} oracle does not throw; the test input is wrong`
            : `${what}: does not throw on ${label}`,
        );
      }
      if (side === 'backend') {
        const after = await evaluate(valid, valid.run).catch((e: unknown) => {
          m.add(`${valid.label} after ${what}: throws on ${label}: ${message(e)}`);
          return null;
        });
        if (after) {
          compareOutcomes(m, `${valid.label} after ${what}`, expectedValid, after, exactFloats);
        }
      }
    }
  }
  m.check('kernel/gather-out-of-range');
}

function intData32(shape: number[]): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return ints(
    shape,
    Array.from({ length: n }, (_, i) => i * 3 - 7),
  );
}

// ---- identity and cast -------------------------------------------------------------------

/** The values a host tensor holds, as tfjs reads them back. */
const hostValues = (x: HostTensor): number[] => Array.from(x.values as ArrayLike<number>);

/**
 * Clones (the Identity kernel, which tfjs also runs to save tensors for gradients) and casts
 * to the same dtype are independent tensors with equal values: disposing the original leaves
 * them readable, in every order, and disposing them leaves the original. Casts between
 * float32 and int32, and from bool, convert.
 */
async function checkIdentityCast(ctx: KitContext): Promise<void> {
  const exactFloats = await bothFp32(ctx);
  const m = await ctx.mismatches();
  const h = host('kernel/identity-cast');
  const special = h.normal([3, 5]);
  (special.values as Float32Array).set([Number.NaN, Number.POSITIVE_INFINITY, -0, -3.4e38, 1e-30]);
  const sources: HostTensor[] = [
    special,
    h.normal([13]),
    { shape: [], values: Float32Array.of(-2.5), dtype: 'float32' },
    { shape: [1], values: Float32Array.of(7), dtype: 'float32' },
    h.normal([2, 3, 7]),
    ints([7], [0, 1, -1, 2147483647, -2147483648, 12345, -987]),
    ints([2, 5], [3, -1, 0, 9, 8, -7, 6, 5, 4, 1000]),
    ints([], [42]),
    bools([2, 3], [1, 0, 0, 1, 1, 0]),
  ];
  for (const side of ['oracle', 'backend'] as const) {
    const label = side === 'oracle' ? ctx.labels.expected : ctx.labels.actual;
    if (side === 'oracle') await ctx.onOracle();
    else await ctx.onBackend();
    for (const x of sources) {
      const name = `${x.dtype} [${x.shape}] on ${label}`;
      const values = hostValues(x);
      const checkTensor = async (what: string, t: tf.Tensor, expected: readonly number[]) => {
        if (t.dtype !== x.dtype) m.add(`${what} of ${name}: dtype ${t.dtype}, not ${x.dtype}`);
        if (t.shape.join(',') !== x.shape.join(',')) {
          m.add(`${what} of ${name}: shape [${t.shape}], not [${x.shape}]`);
        }
        const got = await read(t).catch((e: unknown) => {
          m.add(`${what} of ${name}: cannot be read: ${message(e)}`);
          return null;
        });
        if (!got) return;
        if (x.dtype === 'float32' && !exactFloats) m.array(`${what} of ${name}`, expected, got);
        else identical(m, `${what} of ${name}`, expected, got, label);
      };
      await noGrowth(m, `clones and casts of ${name}`, async () => {
        // The original disposed first, then the copy: each copy keeps its values. Clones
        // alone, casts alone, then both sharing one original.
        for (const [kind, copy] of [
          ['clone', (t: tf.Tensor) => tf.clone(t)],
          ['same-dtype cast', (t: tf.Tensor) => tf.cast(t, x.dtype)],
        ] as const) {
          const original = upload(x);
          const first = copy(original);
          let second: tf.Tensor | null = null;
          try {
            original.dispose();
            await checkTensor(`a ${kind}, its original disposed`, first, values);
            second = copy(first);
            first.dispose();
            await checkTensor(`a ${kind} of a ${kind}, both disposed`, second, values);
          } finally {
            tf.dispose([original, first, ...(second ? [second] : [])]);
          }
        }
        const original = upload(x);
        const clone = tf.clone(original);
        const cast = tf.cast(original, x.dtype);
        const cloneOfClone = tf.clone(clone);
        const castOfClone = tf.cast(clone, x.dtype);
        try {
          original.dispose();
          clone.dispose();
          await checkTensor('a clone of a disposed clone', cloneOfClone, values);
          await checkTensor('a same-dtype cast of a disposed clone', castOfClone, values);
          cast.dispose();
          cloneOfClone.dispose();
          await checkTensor('the last cast, every other copy disposed', castOfClone, values);
        } finally {
          tf.dispose([original, clone, cast, cloneOfClone, castOfClone]);
        }
        // The copies disposed first: the original keeps its values.
        const kept = upload(x);
        try {
          tf.clone(kept).dispose();
          tf.cast(kept, x.dtype).dispose();
          await checkTensor('the original, its clone and cast disposed', kept, values);
        } finally {
          kept.dispose();
        }
        // A kernel's output (on a device backend, data that lives on the device). Integers
        // stay within float32's exact range: some backends negate int32 through float32.
        if (x.dtype === 'int32' && values.some((v) => Math.abs(v) > 2 ** 24)) return;
        const input = upload(x);
        const computed = tf.tidy(() => (x.dtype === 'bool' ? tf.logicalNot(input) : tf.neg(input)));
        input.dispose();
        const copy = tf.clone(computed);
        const recast = tf.cast(computed, x.dtype);
        computed.dispose();
        try {
          const expected =
            x.dtype === 'bool'
              ? values.map((v) => (v ? 0 : 1))
              : values.map((v) => (x.dtype === 'int32' ? -v | 0 : -v));
          await checkTensor("a clone of a kernel's output, disposed", copy, expected);
          await checkTensor("a same-dtype cast of a kernel's output, disposed", recast, expected);
        } finally {
          tf.dispose([copy, recast]);
        }
      }).catch((e: unknown) => m.add(`clones and casts of ${name}: throws: ${message(e)}`));
    }
    await checkConversions(m, label, [
      {
        // Integers float32 holds exactly (the cpu backend keeps int32 data under a cast).
        from: ints([7], [0, 1, -5, 7, 16777216, -2147483648, 1048577]),
        to: 'float32',
        expected: [0, 1, -5, 7, 16777216, -2147483648, 1048577],
      },
      {
        from: floats([8], [1.7, -2.7, 0.5, -0.5, 0, 3, 1e6 + 0.5, -0]),
        to: 'int32',
        expected: [1, -2, 0, 0, 0, 3, 1000000, 0],
      },
      { from: bools([4], [1, 0, 1, 1]), to: 'float32', expected: [1, 0, 1, 1] },
      { from: bools([2, 2], [0, 1, 1, 0]), to: 'int32', expected: [0, 1, 1, 0] },
    ]);
  }
  m.check('kernel/identity-cast');
}

interface Conversion {
  readonly from: HostTensor;
  readonly to: 'float32' | 'int32' | 'bool';
  readonly expected: readonly number[];
}

/** Casts from host tensors on the active backend, each to exactly the expected values. */
async function checkConversions(
  m: Mismatches,
  label: string,
  conversions: readonly Conversion[],
): Promise<void> {
  for (const c of conversions) {
    const what = `cast ${c.from.dtype} [${hostValues(c.from)}] to ${c.to} on ${label}`;
    await noGrowth(m, what, async () => {
      const x = upload(c.from);
      const y = tf.cast(x, c.to);
      try {
        if (y.dtype !== c.to) m.add(`${what}: dtype ${y.dtype}`);
        identical(m, what, c.expected, await read(y), label);
      } finally {
        tf.dispose([x, y]);
      }
    });
  }
}

/** Casts to bool: zero is false, anything else (fractions, negatives, huge values) true. */
async function checkCastToBool(ctx: KitContext): Promise<void> {
  const m = await ctx.mismatches();
  const conversions: Conversion[] = [
    {
      from: floats([8], [0, -0, 0.1, -3, 1e-30, 3e38, 1, 0.5]),
      to: 'bool',
      expected: [0, 0, 1, 1, 1, 1, 1, 1],
    },
    { from: ints([6], [0, 1, -5, 7, 0, 256]), to: 'bool', expected: [0, 1, 1, 1, 0, 1] },
    { from: bools([3], [1, 0, 1]), to: 'bool', expected: [1, 0, 1] },
  ];
  await ctx.onOracle();
  await checkConversions(m, ctx.labels.expected, conversions);
  await ctx.onBackend();
  await checkConversions(m, ctx.labels.actual, conversions);
  m.check('kernel/cast-to-bool');
}

function floats(shape: readonly number[], values: readonly number[]): HostTensor {
  return { shape, values: Float32Array.from(values), dtype: 'float32' };
}

// ---- gradlab's norm kernels --------------------------------------------------------------

/** float64 sum of squares of the float32 values actually uploaded. */
const sumOfSquares = (x: HostTensor): number => hostValues(x).reduce((s, v) => s + v * v, 0);

/** Reads squareSums(ts) and l2Norms(ts) on the active backend. */
async function norms(
  xs: readonly HostTensor[],
): Promise<{ squares: number[]; norms: number[]; shapes: string[] }> {
  const ts = xs.map(upload);
  const outs: tf.Tensor[] = [];
  try {
    outs.push(squareSums(ts), l2Norms(ts));
    const [s, n] = outs as [tf.Tensor, tf.Tensor];
    return {
      squares: await read(s),
      norms: await read(n),
      shapes: outs.map((t) => `${t.dtype} [${t.shape}]`),
    };
  } finally {
    tf.dispose([...ts, ...outs]);
  }
}

/**
 * GradlabSquareSums and GradlabL2Norms (or their composites) of several tensors at once:
 * against the oracle and against float64 on the host; l2Norms exact to 1e-5 where float32
 * squares underflow (1e-25) or overflow (1e25); 0 for zeros, NaN with a NaN, Infinity with an
 * infinity, each in its own slot.
 */
async function checkNorms(ctx: KitContext): Promise<void> {
  const m = await ctx.mismatches();
  const tolerance = await ctx.tolerance();
  const h = host('kernel/norms');
  const shapes: number[][] = [[], [1], [2], [7], [13], [97], [31, 37], [1009]];
  const scaled = (scale: number) => shapes.map((s, i) => h.normal(s, scale * (1 + (i % 3))));
  const filled = (shape: number[], values: number[]): HostTensor => ({
    shape,
    values: Float32Array.from(values),
    dtype: 'float32',
  });
  const special: { x: HostTensor; what: string; square: number; norm: number }[] = [
    { x: filled([5], [0, 0, 0, 0, 0]), what: 'zeros', square: 0, norm: 0 },
    { x: filled([1], [-0]), what: '-0', square: 0, norm: 0 },
    { x: filled([3], [1, Number.NaN, 2]), what: 'a NaN', square: Number.NaN, norm: Number.NaN },
    {
      x: filled([3], [1, Number.POSITIVE_INFINITY, 2]),
      what: 'an Infinity',
      square: Number.POSITIVE_INFINITY,
      norm: Number.POSITIVE_INFINITY,
    },
    {
      x: filled([2], [Number.NEGATIVE_INFINITY, 1e-30]),
      what: 'a -Infinity',
      square: Number.POSITIVE_INFINITY,
      norm: Number.POSITIVE_INFINITY,
    },
  ];
  const sets: { label: string; xs: HostTensor[]; scale: number }[] = [
    { label: 'tensors of sizes 1 to 1009', xs: scaled(1), scale: 1 },
    { label: 'one tensor', xs: [h.normal([29], 2)], scale: 1 },
    { label: 'values ~1e-25 (squares underflow float32)', xs: scaled(1e-25), scale: 1e-25 },
    { label: 'values ~1e25 (squares overflow float32)', xs: scaled(1e25), scale: 1e25 },
  ];
  const specialTensors = special.map((s) => s.x);
  // Special values between ordinary tensors: each must stay in its own slot.
  const mixed = [
    h.normal([7]),
    ...specialTensors.slice(0, 3),
    h.normal([11]),
    ...specialTensors.slice(3),
  ];
  const mixedExpected = mixed.map((x) => {
    const s = special.find((c) => c.x === x);
    const sq = s ? s.square : sumOfSquares(x);
    return { square: sq, norm: s ? s.norm : Math.sqrt(sq) };
  });

  const evaluateAll = async (label: string) => {
    const out: Awaited<ReturnType<typeof norms>>[] = [];
    for (const set of sets) {
      out.push(await noGrowth(m, `norms of ${set.label} on ${label}`, () => norms(set.xs)));
    }
    out.push(await noGrowth(m, `norms with zeros, NaN, Infinity on ${label}`, () => norms(mixed)));
    return out;
  };
  await ctx.onOracle();
  const expected = await evaluateAll(ctx.labels.expected);
  await ctx.onBackend();
  const actual = await evaluateAll(ctx.labels.actual).catch((e: unknown) => {
    m.add(`squareSums/l2Norms throw on ${ctx.labels.actual}: ${message(e)}`);
    return null;
  });
  if (actual) {
    const vsHost = (what: string, got: number, exact: number, bound: number) => {
      const rel = Math.abs(got - exact) / exact;
      if (!(got > 0 && Number.isFinite(got) && rel <= bound)) {
        m.add(
          `${what}: ${fmt(got)} on ${ctx.labels.actual}, float64 ${fmt(exact)} (relative ${fmt(rel)} > ${fmt(bound)})`,
        );
      }
    };
    sets.forEach((set, i) => {
      const e = expected[i] as Awaited<ReturnType<typeof norms>>;
      const a = actual[i] as Awaited<ReturnType<typeof norms>>;
      const count = `float32 [${set.xs.length}]`;
      if (a.shapes.some((s) => s !== count)) {
        m.add(`${set.label}: squareSums and l2Norms give ${a.shapes.join(' and ')}, not ${count}`);
        return;
      }
      const ordinary = set.scale === 1;
      set.xs.forEach((x, j) => {
        const exact = sumOfSquares(x);
        const slot = `${set.label}: [${j}] (shape [${x.shape}])`;
        if (ordinary) vsHost(`${slot} squareSums`, a.squares[j] as number, exact, tolerance);
        vsHost(
          `${slot} l2Norms`,
          a.norms[j] as number,
          Math.sqrt(exact),
          ordinary ? tolerance : 1e-5,
        );
      });
      if (ordinary) {
        m.array(`${set.label}: squareSums`, e.squares, a.squares);
        m.array(`${set.label}: l2Norms`, e.norms, a.norms);
      }
    });
    const e = expected.at(-1) as Awaited<ReturnType<typeof norms>>;
    const a = actual.at(-1) as Awaited<ReturnType<typeof norms>>;
    mixed.forEach((x, j) => {
      const s = special.find((c) => c.x === x);
      const slot = `${s ? s.what : 'an ordinary tensor'} at [${j}] among zeros, NaN and Infinity`;
      const want = mixedExpected[j] as { square: number; norm: number };
      if (s) {
        for (const [kind, got, expect, oracle] of [
          ['squareSums', a.squares[j], want.square, e.squares[j]],
          ['l2Norms', a.norms[j], want.norm, e.norms[j]],
        ] as const) {
          if (!Object.is(oracle, expect)) {
            m.add(
              `${slot}: the ${ctx.labels.expected} oracle's ${kind} is ${oracle}, not ${expect}`,
            );
          }
          if (!Object.is(got, expect)) m.add(`${slot}: ${kind} ${got}, not ${expect}`);
        }
      } else {
        vsHost(`${slot} squareSums`, a.squares[j] as number, want.square, tolerance);
        vsHost(`${slot} l2Norms`, a.norms[j] as number, want.norm, tolerance);
      }
    });
  }
  m.check('kernel/norms');
}

// ---- dense -------------------------------------------------------------------------------

/**
 * Core's dense(): y = act(x @ kernel + bias) as one _FusedMatMul forward and GradlabDenseGrad
 * (or its composite) backward, against the unfused ops on the oracle, value and gradients
 * with respect to x, kernel and bias, for every activation dense() fuses.
 */
function denseVariants(): KernelVariant[] {
  const h = host('kernel/dense');
  const runs: { activation: Activation; alpha: number }[] = Activation.options
    .filter((a) => fusable(a))
    .flatMap((activation): { activation: Activation; alpha: number }[] =>
      activation === 'leaky-relu'
        ? [
            { activation, alpha: 0.2 },
            { activation, alpha: 0.05 },
          ]
        : [{ activation, alpha: 0.2 }],
    );
  const shapes = [
    [5, 7, 3],
    [1, 13, 1],
    [13, 1, 5],
    [16, 9, 11],
  ] as const;
  // With inputGradient false (a first layer) x is a constant: gradients of kernel and bias only.
  const constantInput = runs.map(({ activation, alpha }) => ({
    label: `dense ${activation}${activation === 'leaky-relu' ? ` alpha ${alpha}` : ''}, no input gradient: [6, 5] @ [5, 4] + [4]`,
    inputs: [h.normal([6, 5], 1.5), h.normal([5, 4]), h.normal([4], 0.5)],
    wrt: [1, 2],
    run: ([x, w, b]: readonly tf.Tensor[]) =>
      dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, activation, alpha, {
        inputGradient: false,
      }),
    reference: ([x, w, b]: readonly tf.Tensor[]) =>
      applyActivation(
        activation,
        tf.add(tf.matMul(x as tf.Tensor, w as tf.Tensor), b as tf.Tensor),
        alpha,
      ),
  }));
  return constantInput.concat(
    runs.flatMap(({ activation, alpha }) =>
      shapes.map(([rows, k, n]) => ({
        label: `dense ${activation}${activation === 'leaky-relu' ? ` alpha ${alpha}` : ''}: [${rows}, ${k}] @ [${k}, ${n}] + [${n}]`,
        inputs: [h.normal([rows, k], 1.5), h.normal([k, n]), h.normal([n], 0.5)],
        wrt: [0, 1, 2],
        run: ([x, w, b]: readonly tf.Tensor[]) =>
          dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, activation, alpha),
        reference: ([x, w, b]: readonly tf.Tensor[]) =>
          applyActivation(
            activation,
            tf.add(tf.matMul(x as tf.Tensor, w as tf.Tensor), b as tf.Tensor),
            alpha,
          ),
      })),
    ),
  );
}

// ---- the tests ---------------------------------------------------------------------------

export const KERNEL_CASES: Readonly<Record<KernelTestId, (ctx: KitContext) => Promise<void>>> = {
  'kernel/matMul': (ctx) => checkVariants(ctx, 'kernel/matMul', matMulVariants()),
  'kernel/matMul-broadcast': (ctx) =>
    checkVariants(ctx, 'kernel/matMul-broadcast', matMulBroadcastVariants()),
  'kernel/fused-matMul': (ctx) => checkVariants(ctx, 'kernel/fused-matMul', fusedVariants()),
  'kernel/fused-matMul-bias-batch-transpose': (ctx) =>
    checkVariants(
      ctx,
      'kernel/fused-matMul-bias-batch-transpose',
      fusedBiasBatchTransposeVariants(),
    ),
  'kernel/fused-matMul-bias-shapes': (ctx) =>
    checkVariants(ctx, 'kernel/fused-matMul-bias-shapes', fusedBiasShapeVariants()),
  'kernel/fused-matMul-matrix-bias': (ctx) =>
    checkVariants(ctx, 'kernel/fused-matMul-matrix-bias', fusedMatrixBiasVariants()),
  'kernel/gather': (ctx) => checkVariants(ctx, 'kernel/gather', gatherVariants()),
  'kernel/gather-batch-dims': (ctx) =>
    checkVariants(ctx, 'kernel/gather-batch-dims', gatherBatchDimsVariants()),
  'kernel/gather-out-of-range': checkGatherOutOfRange,
  'kernel/identity-cast': checkIdentityCast,
  'kernel/cast-to-bool': checkCastToBool,
  'kernel/norms': checkNorms,
  'kernel/dense': (ctx) => checkVariants(ctx, 'kernel/dense', denseVariants()),
};

export function checkKernel(ctx: KitContext, id: KernelTestId): Promise<void> {
  return KERNEL_CASES[id](ctx);
}
