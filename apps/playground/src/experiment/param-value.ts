import { REMOVED } from './spec-changes.js';

/**
 * A spec field's value as a link parameter, readable as typed: a word stays a word
 * (`model.activation=tanh`), anything else is its JSON (`model.depth=12`, `model.width=[24,16]`,
 * `training.clip={"kind":"value","value":0.5}`). A string that would read back as something
 * else ("12", "true", "") is written as JSON ("\"12\""), so every value reads back exactly. An
 * empty parameter (`training.clip=`) is a field removed.
 */
export function paramText(value: unknown): string {
  if (value === REMOVED) return '';
  if (typeof value === 'string' && value !== '' && !readsAsJson(value)) return value;
  return JSON.stringify(value);
}

/** The value a parameter holds (the inverse of paramText). */
export function paramValue(text: string): unknown {
  if (text === '') return REMOVED;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readsAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
