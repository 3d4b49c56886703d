import { GradlabError } from '../errors.js';

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Bytes from a size as a person writes it: "4GiB", "512 MiB", "2gb", "1e9" (plain bytes).
 * Binary (KiB, MiB, GiB, TiB) and decimal (kB, MB, GB, TB) units, any case.
 */
export function parseByteSize(text: string, what = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[(m[2] ?? '').toLowerCase() || 'b'] : undefined;
  const value = m ? Number(m[1]) * (unit ?? Number.NaN) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${what}: ${JSON.stringify(text)} is not a size; write a positive number with a unit, such as 4GiB, 512MiB or 2GB`,
    );
  }
  return Math.floor(value);
}

/** "1.5 GiB": binary units, three significant digits, for messages. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? v.toFixed(0) : v.toPrecision(3)} ${units[i]}`;
}
