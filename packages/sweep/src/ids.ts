import { createHash } from 'node:crypto';

/**
 * JSON with every object's keys sorted, so that equal values have one text whatever order
 * their keys were written in (a spec read from a file, built by a mitigation, parsed by zod).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * A cell's id: the first 16 hex digits of the SHA-256 of its resolved spec and backend. The same
 * experiment has the same id in any sweep, on any machine: a finished cell's record is found
 * again on resume, and a queue can use the id as its job id. 64 bits make a collision in a
 * sweep of a million cells about a 1-in-37-million chance.
 */
export function cellId(spec: unknown, backend: string): string {
  return createHash('sha256').update(canonicalJson({ spec, backend })).digest('hex').slice(0, 16);
}
