import { readFile } from 'node:fs/promises';
import { GradlabError } from '@gradlab/core';
import {
  fastSweepNames,
  findSweep,
  parseSweep,
  parseSweepJson,
  type SweepSpec,
  sweeps,
} from '@gradlab/sweep';

const isName = (target: string) => !target.endsWith('.json') && !target.includes('/');

/** Only named sweeps that carry a fast variant take --fast: a file has no smaller twin. */
function noFastVariant(target: string): GradlabError {
  const named = fastSweepNames();
  return new GradlabError(
    'INVALID_ARGUMENT',
    `--fast runs the fast variant of a named sweep, and ${isName(target) ? `sweep "${target}" has none` : `${target} is a file, not a named sweep`}. Sweeps with a fast variant: ${named.join(', ') || 'none'}. Drop --fast, or make the grid of your file smaller.`,
  );
}

/**
 * `target` is a named sweep or the path of a sweep file (anything ending in .json is a path).
 * With `fast`, the named sweep's fast variant; a sweep without one is bad input.
 */
export async function loadSweep(
  target: string,
  o: { readonly fast?: boolean } = {},
): Promise<{ sweep: SweepSpec; source: string }> {
  if (isName(target)) {
    const named = findSweep(target);
    if (!named) {
      throw new GradlabError(
        'INVALID_SWEEP',
        `there is no sweep named "${target}". Known sweeps: ${sweeps.map((s) => s.name).join(', ')}. Or pass the path of a sweep .json file (docs/sweeps.md).`,
      );
    }
    if (o.fast) {
      if (!named.fast) throw noFastVariant(target);
      const source = `sweep "${target}" --fast`;
      return { sweep: parseSweep(named.fast.sweep, source), source };
    }
    const source = `sweep "${target}"`;
    return { sweep: parseSweep(named.sweep, source), source };
  }
  if (o.fast) throw noFastVariant(target);
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch (e) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `cannot read sweep file ${target} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Pass an existing .json file or a sweep's name (${sweeps.map((s) => s.name).join(', ')}).`,
    );
  }
  return { sweep: parseSweepJson(text, target), source: target };
}
