import { totalmem } from 'node:os';
import { formatPercent } from '../format/number.js';
import { formatBytes, parseByteSize } from './bytes.js';
import type { MemoryLimit } from './check.js';

/** The environment variable that sets the memory limit of every run, compare and sweep cell. */
export const MAX_MEMORY_ENV = 'GRADLAB_MAX_MEMORY';
/**
 * The default share of the machine's memory a run may plan to use: the rest is the process's
 * own (tfjs, the data set's generators, V8's heap) and everything else running. Total rather
 * than free memory, so the same spec is accepted or refused the same way from one minute to
 * the next.
 */
export const DEFAULT_MEMORY_SHARE = 0.75;

/**
 * The memory limit runs are checked against (Node only): GRADLAB_MAX_MEMORY when set ("4GiB",
 * "512MiB", "8GB"), otherwise 75% of the machine's total memory.
 */
export function memoryLimit(
  env: Readonly<Record<string, string | undefined>> = process.env,
  machineBytes: number = totalmem(),
): MemoryLimit {
  const set = env[MAX_MEMORY_ENV]?.trim();
  if (set) {
    return { bytes: parseByteSize(set, MAX_MEMORY_ENV), source: `${MAX_MEMORY_ENV}=${set}` };
  }
  return {
    bytes: Math.floor(machineBytes * DEFAULT_MEMORY_SHARE),
    source: `${formatPercent(DEFAULT_MEMORY_SHARE, { decimals: 0 })} of this machine's ${formatBytes(machineBytes)}; set ${MAX_MEMORY_ENV} to change it`,
  };
}
