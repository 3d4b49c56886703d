import { rm } from 'node:fs/promises';
import { isGradlabError } from '@gradlab/core';
import {
  describeWriteError,
  finishPartialRun,
  listPartialRuns,
  type PartialRun,
  planRecovery,
  UNOWNED_GRACE_MS,
} from '@gradlab/core/node';
import { formatDuration } from '@gradlab/sweep';
import { parseDuration } from '../duration.js';
import { EXIT } from '../errors.js';
import { shownPath } from './stale-partials.js';

export interface RunsCleanOptions {
  readonly runsDir?: string;
  /** Only partials unchanged for this long (e.g. 2h). */
  readonly olderThan?: string;
  /** Say what would be done, do nothing. */
  readonly dryRun?: boolean;
  /** Complete the partials that hold a finished run instead of keeping them. */
  readonly finish?: boolean;
}

/** Why a partial is left alone whatever the options, or null when its process is gone. */
function untouchable(p: PartialRun, now: number): string | null {
  switch (p.state) {
    case 'running':
      return `in progress: process ${p.owner?.pid}`;
    case 'elsewhere':
      return `written from ${p.owner?.host}, which cannot be checked from here; remove it by hand once that run is gone`;
    case 'unknown':
      return `no owner recorded and changed ${formatDuration((now - p.modifiedAt.getTime()) / 1000)} ago: it may be a run still going (it counts as abandoned after ${formatDuration(UNOWNED_GRACE_MS / 1000)})`;
    case 'gone':
      return null;
  }
}

/**
 * `gradlab runs clean`: the partial runs (`.NAME.partial-xxxxxxxx`) in a runs directory whose
 * process is gone are removed, except those holding a finished run (run.json written but not
 * renamed into place, or every step's metrics with run.json lost to a full disk): those are
 * kept, or completed with --finish. A partial whose process still runs (or that cannot be
 * checked) is never touched. Exit 1 when a --finish failed, else 0.
 */
export async function runsCleanCommand(o: RunsCleanOptions): Promise<number> {
  const runsDir = o.runsDir ?? 'runs';
  const minAgeMs = o.olderThan === undefined ? 0 : parseDuration(o.olderThan, '--older-than');
  const now = Date.now();
  const partials = await listPartialRuns(runsDir, now);
  const say = (s: string) => process.stdout.write(`${s}\n`);
  const would = o.dryRun ? 'would ' : '';
  let removed = 0;
  let finished = 0;
  let failed = 0;
  for (const p of partials) {
    const shown = shownPath(p.path);
    const why = untouchable(p, now);
    const age = now - p.modifiedAt.getTime();
    if (why) {
      say(`kept ${shown} (${why})`);
      continue;
    }
    if (age < minAgeMs) {
      say(`kept ${shown} (changed ${formatDuration(age / 1000)} ago, within --older-than)`);
      continue;
    }
    const plan = await planRecovery(p);
    if (plan.kind === 'none') {
      if (!o.dryRun) await rm(p.path, { recursive: true, force: true });
      say(`${would}remove ${shown} (${plan.why})`);
      removed++;
      continue;
    }
    const how =
      plan.kind === 'rebuild' ? ', run.json rebuilt from its metrics, marked recovered' : '';
    if (!o.finish) {
      say(
        `kept ${shown} (a finished run: --finish completes it into ${shownPath(p.target)}${how})`,
      );
      continue;
    }
    if (o.dryRun) {
      say(`would finish ${shown} into ${shownPath(p.target)}${how}`);
      finished++;
      continue;
    }
    try {
      await finishPartialRun(p, plan);
      say(`finished ${shownPath(p.target)} (from ${shown}${how})`);
      finished++;
    } catch (e) {
      say(
        `kept ${shown}: could not finish it (${isGradlabError(e) ? e.message : describeWriteError(e)})`,
      );
      failed++;
    }
  }
  const verb = o.dryRun ? 'would be ' : '';
  process.stderr.write(
    partials.length === 0
      ? `gradlab: no partial runs in ${shownPath(runsDir)}\n`
      : `gradlab: ${partials.length} partial run${partials.length === 1 ? '' : 's'} in ${shownPath(runsDir)}: ${removed} ${verb}removed, ${finished} ${verb}finished, ${partials.length - removed - finished} kept\n`,
  );
  return failed > 0 ? EXIT.failure : EXIT.ok;
}
