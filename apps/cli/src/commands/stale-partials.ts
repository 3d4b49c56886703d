import { relative } from 'node:path';
import { listPartialRuns } from '@gradlab/core/node';

/** A path as the user would type it: relative to the working directory when inside it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

/**
 * One line on stderr when the runs directory a command writes to holds partial runs whose
 * process is gone (killed, or a disk that filled up), with the command that deals with them.
 * Never fails the command: it is a courtesy.
 */
export async function mentionStalePartials(runsDir: string): Promise<void> {
  try {
    const stale = (await listPartialRuns(runsDir)).filter((p) => p.state === 'gone');
    if (stale.length === 0) return;
    const n = stale.length === 1 ? 'an unfinished run' : `${stale.length} unfinished runs`;
    process.stderr.write(
      `gradlab: ${shownPath(runsDir)} holds ${n} whose process is gone: \`gradlab runs clean --runs-dir ${shownPath(runsDir)} --finish\` completes what can be and removes the rest (--dry-run to see first).\n`,
    );
  } catch {}
}
