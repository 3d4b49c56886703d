import { listBackends } from '@gradlab/core';
import { invalidSweep, type SweepSpec } from '../schema.js';

/**
 * checkBackends' counterpart for a sweep run on a queue: its cells run on the workers, so a
 * backend need not be available here, only be one gradlab knows (or "auto"); whether a worker
 * serves it, the sweep says while it waits. Throws INVALID_SWEEP naming each unknown entry.
 */
export function checkQueueBackends(sweep: SweepSpec, source = 'sweep'): void {
  const known = listBackends().map((a) => a.name);
  const problems = sweep.backends.flatMap((name, i) =>
    name === 'auto' || known.includes(name)
      ? []
      : [
          `backends[${i}]: unknown backend ${JSON.stringify(name)}; known backends: ${known.join(', ')}, or "auto"`,
        ],
  );
  if (problems.length > 0) throw invalidSweep(source, problems);
}
