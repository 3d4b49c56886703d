import { isGradlabError, listBackends, safeProbe } from '@gradlab/core';
import { invalidSweep, type SweepSpec } from './schema.js';

/**
 * Checks, before anything runs, that every backend the sweep names is registered here and
 * available (its probe, which has no side effects). Local workers register the same backends
 * as the process that calls this, so a cell never fails for a backend this check let through.
 * "auto" always passes. Throws INVALID_SWEEP naming each bad entry of "backends".
 */
export async function checkBackends(sweep: SweepSpec, source = 'sweep'): Promise<void> {
  const known = new Map(listBackends().map((a) => [a.name, a]));
  const problems: string[] = [];
  for (const [i, name] of sweep.backends.entries()) {
    if (name === 'auto') continue;
    const adapter = known.get(name);
    if (!adapter) {
      problems.push(
        `backends[${i}]: unknown backend ${JSON.stringify(name)}; known backends: ${[...known.keys()].join(', ')}, or "auto"`,
      );
      continue;
    }
    try {
      const probe = await safeProbe(adapter);
      if (!probe.available) {
        problems.push(
          `backends[${i}]: ${JSON.stringify(name)} is not available here: ${probe.reason}. To fix: ${probe.hint}`,
        );
      }
    } catch (e) {
      if (!isGradlabError(e)) throw e;
      problems.push(`backends[${i}]: ${e.message}`);
    }
  }
  if (problems.length > 0) throw invalidSweep(source, problems);
}
