/** Longest directory name made from a spec's name; the time and backend around it stay readable. */
export const SAFE_NAME_MAX_CHARS = 80;

/**
 * A spec's name as one safe directory name (a slug): letters and digits of any script, ".",
 * "_", "+" and "-" kept, every run of anything else (separators, "..", spaces, control
 * characters, NUL) one "-", and a run of dots and dashes one "-" (or "."); no leading dot (hidden, or ".."), no dot or dash at either end,
 * at most SAFE_NAME_MAX_CHARS characters; "experiment" when nothing is left. The name itself
 * stays as written in the record's spec.json: this is only where the run is put.
 */
export function safeDirName(name: string): string {
  const slug = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._+-]+/gu, '-')
    .replace(/[.-]*-[.-]*/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '');
  const bounded = Array.from(slug)
    .slice(0, SAFE_NAME_MAX_CHARS)
    .join('')
    .replace(/[.-]+$/, '');
  return bounded === '' ? 'experiment' : bounded;
}
