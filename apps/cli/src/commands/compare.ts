import { GradlabError } from '@gradlab/core';
import { type CompareBackendsOptions, compareBackends } from './compare-backends.js';
import { type CompareMitigationsOptions, compareMitigations } from './compare-mitigations.js';

export type CompareOptions = Omit<CompareMitigationsOptions, 'with'> &
  CompareBackendsOptions & { readonly with?: string };

/**
 * `gradlab compare`: mitigations (`--with`, on one backend) or backends (`--backends`, the same
 * spec on each; the default when neither is given).
 */
export async function compareCommand(target: string, o: CompareOptions): Promise<number> {
  if (o.with !== undefined && o.backends !== undefined) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      'compare takes --with (mitigations, on one --backend) or --backends (one spec on several backends), not both. Run them as two comparisons.',
    );
  }
  return o.with !== undefined
    ? compareMitigations(target, { ...o, with: o.with })
    : compareBackends(target, o);
}
