import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tmpfs mounted for a test: a real small disk (ENOSPC) or a real read-only one (EROFS). */
export type TestMount = { readonly dir: string; unmount(): void } | { readonly skip: string };

/**
 * Mounts a tmpfs with `options` (e.g. "size=2m", "ro,size=64k") on a fresh temporary directory.
 * Where mounting is not permitted (not root, a container without CAP_SYS_ADMIN) it returns why,
 * for the test to print as the reason it does not run. unmount() always gets rid of it, lazily
 * if something still holds it open, so a failing test leaves no mount behind.
 */
export function mountTmpfs(options: string): TestMount {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = r.error?.message ?? (r.stderr.trim() || `mount exited ${r.status}`);
    return { skip: `cannot mount a tmpfs here (${why}); run as root on Linux to test this` };
  }
  return {
    dir,
    unmount() {
      if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
