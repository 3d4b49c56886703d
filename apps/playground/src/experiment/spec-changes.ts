import { GradlabError } from '@gradlab/core';

/**
 * A spec as the fields it changes from another (a preset's): `model.depth` -> 12. Each change is
 * a dotted path to a field and its new value, or REMOVED for a field the other has and this one
 * has not. Groups of fields (objects) are compared field by field; anything else (a number, a
 * string, a list such as a per-layer width) is one value, changed whole.
 */
export const REMOVED: unique symbol = Symbol('removed');

export type SpecChange = readonly [path: string, value: unknown];

type Group = Record<string, unknown>;
const isGroup = (v: unknown): v is Group =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The changes that turn `from` into `to`, in the order of `to`'s fields (then removals). */
export function specChanges(from: unknown, to: unknown, prefix = ''): SpecChange[] {
  if (!isGroup(from) || !isGroup(to)) return same(from, to) ? [] : [[prefix, to]];
  const path = (key: string) => (prefix ? `${prefix}.${key}` : key);
  const changed = Object.keys(to).flatMap((key) =>
    key in from ? specChanges(from[key], to[key], path(key)) : [[path(key), to[key]] as const],
  );
  const removed = Object.keys(from)
    .filter((key) => !(key in to))
    .map((key) => [path(key), REMOVED] as const);
  return [...changed, ...removed];
}

/** Names that would reach an object's prototype rather than a field of the spec. */
const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * `from` with the changes made (a new object; `from` is not touched). A path through a value
 * that is not a group of fields, or an unsafe name, is an error naming the path. Whether the
 * result is a valid spec (a field that does not exist, a value out of range) is parseSpec's to
 * say.
 */
export function applySpecChanges(from: unknown, changes: readonly SpecChange[]): unknown {
  const root: Group = structuredClone(isGroup(from) ? from : {});
  for (const [path, value] of changes) {
    const keys = path.split('.');
    if (keys.some((k) => k === '' || UNSAFE.has(k))) {
      throw new GradlabError('INVALID_ARGUMENT', `"${path}" is not the name of a spec field`);
    }
    let group = root;
    for (const [i, key] of keys.slice(0, -1).entries()) {
      const next = Object.hasOwn(group, key) ? group[key] : undefined;
      if (next === undefined) group[key] = {};
      else if (!isGroup(next)) {
        const at = keys.slice(0, i + 1).join('.');
        throw new GradlabError(
          'INVALID_ARGUMENT',
          `"${path}": ${at} is a value, not a group of fields`,
        );
      }
      group = group[key] as Group;
    }
    const last = keys[keys.length - 1] as string;
    if (value === REMOVED) delete group[last];
    else group[last] = value;
  }
  return root;
}
