import { GradlabError } from '@gradlab/core';
import { closest, distance } from 'fastest-levenshtein';
import { studies } from '../studies/index.js';
import type { Study } from '../study.js';

// biome-ignore lint/suspicious/noExplicitAny: each study has its own settings type
type AnyStudy = Study<any>;

/** The names of the studies, in catalogue order. */
export function studyNames(catalogue: readonly AnyStudy[] = studies): string[] {
  return catalogue.map((s) => s.name);
}

/** The known name closest to a mistyped one, when it is close enough to be what was meant. */
export function suggestName(name: string, known: readonly string[]): string | null {
  if (known.length === 0 || name.length === 0) return null;
  const best = closest(name, [...known]);
  // A third of the length (at least 2 edits) separates typos from unrelated names.
  return distance(name, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

/** The study named `name`; UNKNOWN_PRESET listing the known studies (and the likely one) if none. */
export function findStudy(name: string, catalogue: readonly AnyStudy[] = studies): AnyStudy {
  const study = catalogue.find((s) => s.name === name);
  if (study) return study;
  const names = studyNames(catalogue);
  const suggestion = suggestName(name, names);
  throw new GradlabError(
    'UNKNOWN_PRESET',
    `there is no study named "${name}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} Known studies: ${names.length > 0 ? names.join(', ') : 'none'}.`,
  );
}
