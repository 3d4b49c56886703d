/**
 * Seeded host-side randomness. Initial weights and data are drawn here, on the host, as
 * Float32Arrays, so every backend starts from bit-identical numbers; a device RNG would differ
 * between backends. Streams are split by purpose ("init", "data", "batches"), so changing how
 * many batches are drawn never changes the initial weights.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's small fast chaotic PRNG, also used by
 * PractRand's test suite as a reference): 128-bit state, passes BigCrush, and is exact in
 * 32-bit integer arithmetic, so it gives the same stream in every JavaScript engine.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller, cached pair). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

function hashString(s: string, h: number): number {
  // FNV-1a over the label, mixed with the seed.
  let x = (h ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < s.length; i++) {
    x ^= s.charCodeAt(i);
    x = Math.imul(x, 0x01000193) >>> 0;
  }
  return x;
}

export function createRng(seed: number, stream = ''): Rng {
  let a = hashString(stream, seed >>> 0);
  let b = hashString(`${stream}#b`, (seed / 0x100000000) >>> 0);
  let c = 0x9e3779b9;
  let d = 1;
  const u32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 15; i++) u32();
  let spare: number | null = null;
  const next = (): number => u32() / 0x100000000;
  return {
    next,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = next();
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(n: number) {
      return Math.floor(next() * n);
    },
  };
}

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
export function permutation(rng: Rng, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p;
}
