/**
 * Control characters that a terminal would act on instead of showing: C0 (but tab and newline,
 * which messages use for layout), DEL and C1. An escape sequence in a spec's name or a bad
 * option value must not recolour, retitle or clear the user's terminal when gradlab quotes it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `s` with every control character but tab and newline written as a visible \xNN escape. */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A value quoted from input, for a one-line message: in quotes, no control character raw. */
export function quoted(s: string): string {
  return `"${printable(s).replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}
