import type { KnownGap } from '@gradlab/core';
import { CONFORMANCE_TESTS } from './ids.js';

/** Problems with a knownGaps list: unknown ids, duplicates, missing reasons. */
export function knownGapProblems(gaps: readonly KnownGap[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const g of gaps) {
    if (!CONFORMANCE_TESTS.includes(g.test)) {
      problems.push(`'${g.test}' is not a conformance test (see CONFORMANCE_TESTS)`);
    } else if (seen.has(g.test)) {
      problems.push(`'${g.test}' is listed twice`);
    }
    seen.add(g.test);
    if (typeof g.reason !== 'string' || g.reason.trim() === '') {
      problems.push(`'${g.test}' has no reason`);
    }
  }
  return problems;
}
