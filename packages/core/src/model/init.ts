import { GradlabError } from '../errors.js';
import type { Rng } from '../random.js';
import type { Initializer, InitializerObject } from '../spec/schema.js';

/** `"he-normal"` and `{ kind: "he-normal" }` mean the same initialiser. */
export function normalizeInit(init: Initializer): InitializerObject {
  return typeof init === 'string' ? { kind: init } : init;
}

/**
 * Fills a [fanIn, fanOut] kernel (row-major) on the host. Variance-scaling formulas follow the
 * papers: Glorot & Bengio 2010 (xavier), He et al. 2015 (he), LeCun et al. 1998 (lecun); normal
 * variants draw from an untruncated normal so the variance is exactly the one in the paper.
 * `negativeSlope` is the slope a of a leaky-relu or prelu layer: He's variance becomes
 * 2 / ((1 + a^2) fanIn), the gain of those activations.
 */
export function initKernel(
  init: Initializer,
  fanIn: number,
  fanOut: number,
  rng: Rng,
  negativeSlope = 0,
): Float32Array {
  const spec = normalizeInit(init);
  const n = fanIn * fanOut;
  const out = new Float32Array(n);
  const gain = 'gain' in spec && spec.gain !== undefined ? spec.gain : 1;
  const normal = (std: number) => {
    for (let i = 0; i < n; i++) out[i] = std * rng.normal();
    return out;
  };
  const uniform = (limit: number) => {
    for (let i = 0; i < n; i++) out[i] = limit * (2 * rng.next() - 1);
    return out;
  };
  switch (spec.kind) {
    case 'zeros':
      return out;
    case 'constant':
      return out.fill(spec.value);
    case 'normal':
      return normal(spec.std);
    case 'uniform':
      return uniform(spec.limit);
    case 'xavier-uniform':
      return uniform(gain * Math.sqrt(6 / (fanIn + fanOut)));
    case 'xavier-normal':
      return normal(gain * Math.sqrt(2 / (fanIn + fanOut)));
    case 'he-normal':
      return normal(gain * Math.sqrt(2 / ((1 + negativeSlope ** 2) * fanIn)));
    case 'he-uniform':
      return uniform(gain * Math.sqrt(6 / ((1 + negativeSlope ** 2) * fanIn)));
    case 'lecun-normal':
      return normal(gain * Math.sqrt(1 / fanIn));
    case 'lecun-uniform':
      return uniform(gain * Math.sqrt(3 / fanIn));
    case 'identity':
      for (let i = 0; i < Math.min(fanIn, fanOut); i++) out[i * fanOut + i] = gain;
      return out;
    case 'orthogonal':
      return orthogonal(fanIn, fanOut, gain, rng);
    default: {
      const never: never = spec;
      throw new GradlabError('INVALID_SPEC', `unknown initialiser ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Orthogonal initialisation (Saxe et al. 2014): a Gaussian matrix orthonormalised by modified
 * Gram-Schmidt along its shorter side, so W^T W = I (tall) or W W^T = I (wide), times `gain`.
 */
function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const tall = rows >= cols;
  const k = tall ? cols : rows; // vectors to orthonormalise
  const m = tall ? rows : cols; // their length
  const v = new Float64Array(k * m);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let t = 0; t < m; t++) dot += (v[i * m + t] as number) * (v[j * m + t] as number);
      for (let t = 0; t < m; t++)
        v[i * m + t] = (v[i * m + t] as number) - dot * (v[j * m + t] as number);
    }
    let norm = 0;
    for (let t = 0; t < m; t++) norm += (v[i * m + t] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let t = 0; t < m; t++) v[i * m + t] = (v[i * m + t] as number) / norm;
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < k; i++) {
    for (let t = 0; t < m; t++) {
      const val = gain * (v[i * m + t] as number);
      // tall: vector i is column i; wide: vector i is row i
      if (tall) out[t * cols + i] = val;
      else out[i * cols + t] = val;
    }
  }
  return out;
}
