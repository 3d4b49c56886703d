import { formatNumber, GradlabError, Initializer } from '@gradlab/core';

/**
 * A study setting that names a gradlab initialiser, checked as a spec's `model.init` is, so a
 * study draws its kernels with exactly what a user's spec would give them.
 */
export function checkInitSetting(study: string, field: string, value: unknown): Initializer {
  const parsed = Initializer.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const at = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const got = path.reduce<unknown>(
    (v, p) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : v),
    value,
  );
  throw new GradlabError(
    'INVALID_ARGUMENT',
    `${study} setting ${field}${at} is ${JSON.stringify(got)}; ${issue?.message ?? 'expected a gradlab initialiser'}`,
  );
}

/** How a legend or a check names an initialiser: "orthogonal", "normal(std=0.125)". */
export function initLabel(init: Initializer): string {
  if (typeof init === 'string') return init;
  const { kind, ...parameters } = init;
  const shown = Object.entries(parameters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatNumber(v as number, { digits: 4 })}`);
  return shown.length === 0 ? kind : `${kind}(${shown.join(', ')})`;
}
