import { GradlabError, type GradlabErrorCode } from '../errors.js';

/**
 * How many levels of objects and arrays a spec or sweep may nest. The deepest real ones need
 * about six (a sweep's grid of per-layer initialiser objects); the limit keeps the validator
 * and the error messages, which walk values recursively, far from the stack's end.
 */
export const MAX_NESTING = 64;

/**
 * The path to the first object or array nested deeper than `limit` levels (the value itself is
 * level 1), or null. The walk keeps its own stack, so a value nested 10,000 deep (or a cycle
 * built by a script, which counts as too deep) cannot overflow the call stack here.
 */
export function pathTooDeep(value: unknown, limit = MAX_NESTING): PropertyKey[] | null {
  const pending: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const v = next.value;
    if (v === null || typeof v !== 'object') continue;
    if (next.path.length >= limit) return next.path;
    const children: [PropertyKey, unknown][] = Array.isArray(v)
      ? v.map((child, i) => [i, child])
      : Object.entries(v);
    for (const [key, child] of children) pending.push({ value: child, path: [...next.path, key] });
  }
  return null;
}

/** Keys that are not plain names, such as a sweep's "model.depth", are quoted: grid["model.depth"]. */
function showKeys(path: readonly PropertyKey[]): string {
  const plain = /^[A-Za-z_$][\w$]*$/;
  return path
    .map((p, i) =>
      typeof p === 'number'
        ? `[${p}]`
        : !plain.test(String(p))
          ? `[${JSON.stringify(String(p))}]`
          : i === 0
            ? String(p)
            : `.${String(p)}`,
    )
    .join('');
}

/** A path tens of levels long is shown by its two ends, which say where it is and what repeats. */
function showLongPath(path: readonly PropertyKey[]): string {
  const full = showKeys(path);
  if (full.length <= 120) return full;
  const head = showKeys(path.slice(0, 3));
  const tail = showKeys(['', ...path.slice(-2)]).replace(/^\[""\]/, '');
  return `${head.slice(0, 60)}...(${path.length - 5} more levels)...${tail.slice(0, 60)}`;
}

/** Throws `code` naming where `value` got too deep, before any recursive code sees it. */
export function assertNotTooDeep(
  value: unknown,
  source: string,
  code: GradlabErrorCode,
  what: string,
): void {
  const path = pathTooDeep(value);
  if (!path) return;
  const detail = `${showLongPath(path)}: nested too deep: this object or array is level ${path.length + 1}; at most ${MAX_NESTING} levels of objects and arrays are allowed`;
  throw new GradlabError(
    code,
    `${source} is not a valid gradlab ${what}:\n  ${detail}\nA real ${what} nests a few levels; check how the file was written.`,
    [detail],
  );
}
