/**
 * Dotted paths into a spec ("model.depth", "training.optimizer.lr"; a number indexes a list:
 * "model.width.0"). Only what a sweep needs: read, test and set on plain JSON values.
 */

const SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$]*$|^(0|[1-9][0-9]*)$/;

/** The path's segments, or null when it is not a dotted path of field names and indices. */
export function splitPath(path: string): string[] | null {
  const segments = path.split('.');
  return segments.every((s) => SEGMENT.test(s)) ? segments : null;
}

const isContainer = (x: unknown): x is Record<string, unknown> | unknown[] =>
  typeof x === 'object' && x !== null;

/** The value at `segments`, or undefined where there is none. */
export function getPath(root: unknown, segments: readonly string[]): unknown {
  let at: unknown = root;
  for (const s of segments) {
    if (!isContainer(at)) return undefined;
    at = (at as Record<string, unknown>)[s];
  }
  return at;
}

/** Whether the last segment is a key of the container the others lead to. */
export function hasPath(root: unknown, segments: readonly string[]): boolean {
  const parent = getPath(root, segments.slice(0, -1));
  const key = segments[segments.length - 1] as string;
  return isContainer(parent) && Object.hasOwn(parent, key);
}

export type SetResult = { ok: true } | { ok: false; at: string; found: unknown };

/**
 * Sets the value at `segments` in place. A missing or null field on the way becomes an object
 * (`training.clip.maxNorm` where clip is null), which the spec's validation then judges; a
 * number, string or boolean on the way cannot hold fields: `at` names it.
 */
export function setPath(
  root: Record<string, unknown>,
  segments: readonly string[],
  value: unknown,
): SetResult {
  let at: Record<string, unknown> | unknown[] = root;
  for (const [i, s] of segments.entries()) {
    if (i === segments.length - 1) {
      (at as Record<string, unknown>)[s] = value;
      return { ok: true };
    }
    const next: unknown = (at as Record<string, unknown>)[s];
    if (next === undefined || next === null) {
      const created = {};
      (at as Record<string, unknown>)[s] = created;
      at = created;
    } else if (isContainer(next)) {
      at = next;
    } else {
      return { ok: false, at: segments.slice(0, i + 1).join('.'), found: next };
    }
  }
  return { ok: true };
}
