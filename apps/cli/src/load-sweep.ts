import { readFile } from 'node:fs/promises';
import { GradlabError } from '@gradlab/core';
import { findSweep, parseSweep, parseSweepJson, type SweepSpec, sweeps } from '@gradlab/sweep';

/** `target` is a named sweep or the path of a sweep file (anything ending in .json is a path). */
export async function loadSweep(target: string): Promise<{ sweep: SweepSpec; source: string }> {
  if (!target.endsWith('.json') && !target.includes('/')) {
    const named = findSweep(target);
    if (!named) {
      throw new GradlabError(
        'INVALID_SWEEP',
        `there is no sweep named "${target}". Known sweeps: ${sweeps.map((s) => s.name).join(', ')}. Or pass the path of a sweep .json file (docs/sweeps.md).`,
      );
    }
    const source = `sweep "${target}"`;
    return { sweep: parseSweep(named.sweep, source), source };
  }
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
