import { applyActivation, computeLoss, createRng, matMul } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { KitContext } from './context.js';
import type { GRADIENT_TESTS } from './ids.js';

export type GradientTestId = (typeof GRADIENT_TESTS)[number];

/** A tensor on the host, uploaded to each backend in turn. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array | Uint8Array;
  readonly dtype: 'float32' | 'int32' | 'bool';
}

/**
 * One function of the op under test: its inputs on the host, which of them the gradient is
 * taken with respect to (the others are constants: labels, indices, weights), and the forward
 * computation, written as gradlab's models write it.
 */
interface GradientVariant {
  readonly label: string;
  readonly inputs: readonly HostTensor[];
  readonly wrt: readonly number[];
  readonly forward: (xs: readonly tf.Tensor[]) => tf.Tensor;
}

/** BatchNorm's and LayerNorm's epsilon in core's mlp.ts. */
const NORM_EPSILON = 1e-5;

/** Draws host tensors from a stream of gradlab's seeded generator. */
export function host(stream: string) {
  const rng = createRng(20240601, `testkit/${stream}`);
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  return {
    /** N(offset, scale^2) entries. */
    normal(shape: readonly number[], scale = 1, offset = 0): HostTensor {
      const values = new Float32Array(size(shape));
      for (let i = 0; i < values.length; i++) values[i] = offset + scale * rng.normal();
      return { shape, values, dtype: 'float32' };
    },
    /** Uniform in [lo, hi). */
    uniform(shape: readonly number[], lo: number, hi: number): HostTensor {
      const values = new Float32Array(size(shape));
      for (let i = 0; i < values.length; i++) values[i] = lo + (hi - lo) * rng.next();
      return { shape, values, dtype: 'float32' };
    },
    /** One-hot rows of a random class each. */
    oneHot(rows: number, classes: number): HostTensor {
      const values = new Float32Array(rows * classes);
      for (let r = 0; r < rows; r++) values[r * classes + rng.int(classes)] = 1;
      return { shape: [rows, classes], values, dtype: 'float32' };
    },
    ints(values: readonly number[]): HostTensor {
      return { shape: [values.length], values: Int32Array.from(values), dtype: 'int32' };
    },
  };
}

const t2 = (t: tf.Tensor | undefined) => t as tf.Tensor2D;

function weightedSum(parts: readonly tf.Tensor[], weights: readonly tf.Tensor[]): tf.Tensor {
  return tf.addN(parts.map((p, k) => tf.mul(p, weights[k] as tf.Tensor)));
}

function activationCase(
  id: string,
  fn: (z: tf.Tensor, extra: readonly tf.Tensor[]) => tf.Tensor,
  extra: (h: ReturnType<typeof host>) => HostTensor[] = () => [],
): () => GradientVariant[] {
  return () => {
    const h = host(id);
    // Both sides of 0, and far enough out that sigmoid and tanh saturate.
    const z = h.normal([6, 7], 2.5);
    const more = extra(h);
    return [
      {
        label: `${id.slice('gradient/'.length)} of [6, 7]`,
        inputs: [z, ...more],
        wrt: [0, ...more.map((_, k) => k + 1)],
        forward: ([x, ...rest]) => fn(x as tf.Tensor, rest),
      },
    ];
  };
}

function normCase(id: string, axis: 0 | 1): () => GradientVariant[] {
  return () => {
    const h = host(id);
    return [[8, 5] as const, [3, 12] as const].map(([rows, cols]) => ({
      label: `${axis === 0 ? 'batchnorm' : 'layernorm'} of [${rows}, ${cols}]`,
      inputs: [h.normal([rows, cols], 1.5, 0.7), h.normal([cols], 0.5, 1), h.normal([cols], 0.5)],
      wrt: [0, 1, 2],
      // As core's mlp.ts normalises a hidden layer in training mode.
      forward: ([z, gamma, beta]) => {
        const { mean, variance } = tf.moments(z as tf.Tensor, axis, true);
        const normalised = tf.div(
          tf.sub(z as tf.Tensor, mean),
          tf.sqrt(tf.add(variance, NORM_EPSILON)),
        );
        return tf.add(tf.mul(normalised, gamma as tf.Tensor), beta as tf.Tensor);
      },
    }));
  };
}

const MATMUL_SHAPES: readonly (readonly [number, number, number])[] = [
  [3, 5, 4],
  [1, 7, 1],
  [16, 1, 9],
  [9, 17, 33],
];

/** Every op and layer gradlab's models differentiate through, as they use it. */
export const GRADIENT_CASES: Readonly<Record<GradientTestId, () => GradientVariant[]>> = {
  'gradient/matMul': () => {
    const h = host('matMul');
    return MATMUL_SHAPES.map(([m, k, n]) => ({
      label: `core matMul [${m}x${k}] @ [${k}x${n}]`,
      inputs: [h.normal([m, k]), h.normal([k, n])],
      wrt: [0, 1],
      forward: ([a, b]) => matMul(t2(a), t2(b)),
    }));
  },
  'gradient/matMul-stock': () => {
    const h = host('matMul-stock');
    const plain = MATMUL_SHAPES.map(
      ([m, k, n]): GradientVariant => ({
        label: `tf.matMul [${m}x${k}] @ [${k}x${n}]`,
        inputs: [h.normal([m, k]), h.normal([k, n])],
        wrt: [0, 1],
        forward: ([a, b]) => tf.matMul(a as tf.Tensor, b as tf.Tensor),
      }),
    );
    const flags = ([false, true] as const).flatMap((ta) =>
      ([false, true] as const).map((tb): GradientVariant => {
        const [m, k, n] = [5, 6, 4];
        return {
          label: `tf.matMul transposeA=${ta} transposeB=${tb}`,
          inputs: [h.normal(ta ? [k, m] : [m, k]), h.normal(tb ? [n, k] : [k, n])],
          wrt: [0, 1],
          forward: ([a, b]) => tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, tb),
        };
      }),
    );
    return [...plain, ...flags];
  },
  'gradient/add-bias': () => {
    const h = host('add-bias');
    const bias = ([rows, cols]: [number, number]): GradientVariant => ({
      label: `[${rows}, ${cols}] + bias [${cols}]`,
      inputs: [h.normal([rows, cols]), h.normal([cols])],
      wrt: [0, 1],
      forward: ([x, b]) => tf.add(x as tf.Tensor, b as tf.Tensor),
    });
    return [
      bias([8, 5]),
      bias([20, 12]),
      bias([1, 3]),
      {
        label: 'scalar broadcasts of the cells: (1 - z) * 0.5 + z',
        inputs: [h.normal([4, 3])],
        wrt: [0],
        forward: ([z]) => tf.add(tf.mul(tf.sub(1, z as tf.Tensor), 0.5), z as tf.Tensor),
      },
    ];
  },
  'gradient/sigmoid': activationCase('gradient/sigmoid', (z) => applyActivation('sigmoid', z, 0)),
  'gradient/tanh': activationCase('gradient/tanh', (z) => applyActivation('tanh', z, 0)),
  'gradient/relu': activationCase('gradient/relu', (z) => applyActivation('relu', z, 0)),
  'gradient/leaky-relu': activationCase('gradient/leaky-relu', (z) =>
    applyActivation('leaky-relu', z, 0.2),
  ),
  'gradient/prelu': activationCase(
    'gradient/prelu',
    (z, [alpha]) => applyActivation('prelu', z, 0, alpha),
    (h) => [h.uniform([7], 0.05, 0.5)],
  ),
  'gradient/elu': activationCase('gradient/elu', (z) => applyActivation('elu', z, 0)),
  'gradient/selu': activationCase('gradient/selu', (z) => applyActivation('selu', z, 0)),
  'gradient/gelu': activationCase('gradient/gelu', (z) => applyActivation('gelu', z, 0)),
  'gradient/batchnorm': normCase('gradient/batchnorm', 0),
  'gradient/layernorm': normCase('gradient/layernorm', 1),
  'gradient/softmax-cross-entropy': () => {
    const h = host('softmax-cross-entropy');
    return [
      [6, 4],
      [16, 10],
      [1, 3],
    ].map(([rows, classes]) => ({
      label: `softmax cross-entropy of [${rows}, ${classes}] logits`,
      inputs: [
        h.normal([rows as number, classes as number], 2),
        h.oneHot(rows as number, classes as number),
      ],
      wrt: [0],
      forward: ([logits, labels]) =>
        computeLoss('softmax-cross-entropy', t2(logits), labels as tf.Tensor),
    }));
  },
  'gradient/mse': () => {
    const h = host('mse');
    return [
      [6, 3],
      [1, 1],
    ].map(([rows, cols]) => ({
      label: `mean squared error of [${rows}, ${cols}]`,
      inputs: [
        h.normal([rows as number, cols as number]),
        h.normal([rows as number, cols as number]),
      ],
      wrt: [0, 1],
      forward: ([output, target]) => computeLoss('mse', t2(output), target as tf.Tensor),
    }));
  },
  'gradient/split': () => {
    const h = host('split');
    const w = (n: number, shape: number[]) => Array.from({ length: n }, () => h.normal(shape));
    return [
      {
        // The LSTM's four gate blocks side by side.
        label: 'split(z, 4, 1) of LSTM gates [4, 12]',
        inputs: [h.normal([4, 12]), ...w(4, [4, 3])],
        wrt: [0],
        forward: ([z, ...weights]) => weightedSum(tf.split(z as tf.Tensor, 4, 1), weights),
      },
      {
        // The GRU's recurrent kernel: [U_zr | U_n], then z and r.
        label: 'split(U, [2h, h], 1) then split(., 2, 1) of a GRU kernel [3, 9]',
        inputs: [h.normal([3, 9]), ...w(3, [3, 3])],
        wrt: [0],
        forward: ([u, ...weights]) => {
          const [uzr, un] = tf.split(u as tf.Tensor, [6, 3], 1) as [tf.Tensor, tf.Tensor];
          const [uz, ur] = tf.split(uzr, 2, 1) as [tf.Tensor, tf.Tensor];
          return weightedSum([uz, ur, un], weights);
        },
      },
    ];
  },
  'gradient/concat': () => {
    const h = host('concat');
    return [
      {
        // A recurrent net's hidden states, stacked along the batch for the statistics.
        label: 'concat(hs, 0) of 5 x [4, 3]',
        inputs: Array.from({ length: 5 }, () => h.normal([4, 3])),
        wrt: [0, 1, 2, 3, 4],
        forward: (hs) => tf.concat(hs as tf.Tensor[], 0),
      },
      {
        // What the gradient of split does.
        label: 'concat([4, 2], [4, 3], [4, 1]; 1)',
        inputs: [h.normal([4, 2]), h.normal([4, 3]), h.normal([4, 1])],
        wrt: [0, 1, 2],
        forward: (parts) => tf.concat(parts as tf.Tensor[], 1),
      },
    ];
  },
  'gradient/unstack': () => {
    const h = host('unstack');
    const w = (n: number, shape: number[]) => Array.from({ length: n }, () => h.normal(shape));
    return [
      {
        label: 'unstack(x, 1) of a sequence batch [4, 5, 2]',
        inputs: [h.normal([4, 5, 2]), ...w(5, [4, 2])],
        wrt: [0],
        forward: ([x, ...weights]) => weightedSum(tf.unstack(x as tf.Tensor, 1), weights),
      },
      {
        // The recurrent nets' input projections of all steps, split back per step.
        label: 'unstack(reshape(proj [20, 6], [4, 5, 6]), 1)',
        inputs: [h.normal([20, 6]), ...w(5, [4, 6])],
        wrt: [0],
        forward: ([proj, ...weights]) =>
          weightedSum(tf.unstack(tf.reshape(proj as tf.Tensor, [4, 5, 6]), 1), weights),
      },
    ];
  },
  'gradient/gather': () => {
    const h = host('gather');
    return [
      {
        label: 'gather rows of [10, 3] (repeated indices)',
        inputs: [h.normal([10, 3]), h.ints([3, 1, 3, 9, 0, 3])],
        wrt: [0],
        forward: ([x, idx]) => tf.gather(x as tf.Tensor, idx as tf.Tensor),
      },
      {
        label: 'gather sequences of [6, 4, 2]',
        inputs: [h.normal([6, 4, 2]), h.ints([5, 0, 5, 2])],
        wrt: [0],
        forward: ([x, idx]) => tf.gather(x as tf.Tensor, idx as tf.Tensor),
      },
    ];
  },
};

interface Evaluated {
  /** The value, then the gradient with respect to each `wrt` input. */
  readonly shapes: number[][];
  readonly values: Float32Array[];
}

/** Value and gradients (for a seeded upstream gradient dy) on the active backend. */
async function evaluate(v: GradientVariant): Promise<Evaluated> {
  const inputs = v.inputs.map((x) => tf.tensor(x.values, [...x.shape], x.dtype));
  const made: tf.Tensor[] = [];
  try {
    const y = tf.tidy(() => v.forward(inputs));
    made.push(y);
    const dyHost = host(`dy/${v.label}`).normal(y.shape);
    const dy = tf.tensor(dyHost.values, y.shape, 'float32');
    made.push(dy);
    const grads = tf.tidy(() => {
      const f = (...xs: tf.Tensor[]) =>
        v.forward(
          inputs.map((t, k) => {
            const j = v.wrt.indexOf(k);
            return j >= 0 ? (xs[j] as tf.Tensor) : t;
          }),
        );
      return tf.grads(f)(
        v.wrt.map((k) => inputs[k] as tf.Tensor),
        dy,
      );
    });
    made.push(...grads);
    const outs = [y, ...grads];
    const values: Float32Array[] = [];
    for (const t of outs) values.push(Float32Array.from((await t.data()) as Float32Array));
    return { shapes: outs.map((t) => [...t.shape]), values };
  } finally {
    tf.dispose([...inputs, ...made]);
  }
}

/** Runs every variant of a gradient case on the oracle and on the backend, and compares. */
export async function checkGradient(ctx: KitContext, id: GradientTestId): Promise<void> {
  const variants = GRADIENT_CASES[id]();
  const m = await ctx.mismatches();
  for (const v of variants) {
    const { expected, actual } = await ctx.onBoth(() => evaluate(v));
    const names = ['value', ...v.wrt.map((k) => `gradient wrt input ${k}`)];
    names.forEach((name, i) => {
      const es = expected.shapes[i] as number[];
      const as = actual.shapes[i] as number[];
      if (es.join(',') !== as.join(',')) {
        m.add(
          `${v.label}: ${name} has shape [${as}] on ${ctx.labels.actual}, [${es}] on ${ctx.labels.expected}`,
        );
        return;
      }
      m.array(
        `${v.label}: ${name}`,
        expected.values[i] as Float32Array,
        actual.values[i] as Float32Array,
      );
    });
  }
  m.check(id);
}
