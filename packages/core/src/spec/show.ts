/** How spec fields and values appear in error messages: `training.optimizer.lr`, `model.width[2]`. */

export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    // A value JSON cannot write (a BigInt, a cycle from a script) still gets named.
    s = undefined;
  }
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function showPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(spec)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
