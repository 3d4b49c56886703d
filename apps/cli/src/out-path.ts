import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { GradlabError } from '@gradlab/core';
import { quoted } from './render/printable.js';

/** What an --out names: the directory a command fills, or the one file it writes (report). */
export type OutKind = 'directory' | 'file';

/** Longest name one path component may have on the usual filesystems (ext4, xfs, btrfs, APFS). */
export const NAME_MAX_BYTES = 255;
/**
 * A run directory is first written as `.NAME.partial-xxxxxxxx` beside itself (staging.ts), so
 * its own name must leave room for those 18 bytes.
 */
export const DIRECTORY_NAME_MAX_BYTES = NAME_MAX_BYTES - '..partial-xxxxxxxx'.length;
const PATH_MAX_BYTES = 4095;

/** Kernel pseudo-filesystems: writing there hangs (/proc), fails oddly (/sys) or is harmful. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
/** statfs f_type of the same filesystems mounted elsewhere: proc, sysfs, devpts, cgroup, cgroup2, debugfs, securityfs. */
const PSEUDO_FS_TYPES = new Set([
  0x9fa0, 0x62656572, 0x1cd1, 0x27e0eb, 0x63677270, 0x64626720, 0x73636673,
]);

/** How the check looks at the filesystem; tests replace `writable` (root can write anywhere). */
export interface OutPathProbe {
  writable(dir: string): Promise<boolean>;
}

const nodeProbe: OutPathProbe = {
  writable: (dir) =>
    access(dir, constants.W_OK | constants.X_OK).then(
      () => true,
      () => false,
    ),
};

/** C0 (tab and newline included: they make paths no terminal or shell shows whole), DEL, C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_IN_PATH = /[\u0001-\u001f\u007f-\u009f]/;

function bad(option: string, value: string, problem: string): GradlabError {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return new GradlabError('INVALID_ARGUMENT', `${option} ${quoted(shown)}: ${problem}`);
}

function pseudoRoot(path: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return PSEUDO_ROOTS.find((root) => path === root || path.startsWith(`${root}/`));
}

async function isPseudoFs(path: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  const fs = await statfs(path).catch(() => null);
  return fs !== null && PSEUDO_FS_TYPES.has(Number(fs.type));
}

/** The path itself or its nearest ancestor that exists, with what it is. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  let p = path;
  for (;;) {
    const s = await stat(p).catch((e: NodeJS.ErrnoException) => e);
    if (!(s instanceof Error)) return { path: p, isDirectory: s.isDirectory() };
    if (s.code !== 'ENOENT' && s.code !== 'ENOTDIR') throw s;
    const parent = dirname(p);
    if (parent === p) return { path: p, isDirectory: true };
    p = parent;
  }
}

/**
 * Checks an --out value before anything runs, so a path that cannot be written is a clear
 * exit-2 message instead of a stack trace (or a hang, in /proc) after minutes of training.
 * Whether an existing directory may be reused is each command's own rule (runs never are,
 * sweeps resume); this only checks that the path can be created and written.
 */
export async function checkOutPath(
  value: string,
  kind: OutKind,
  option = '--out',
  probe: OutPathProbe = nodeProbe,
): Promise<void> {
  const what =
    kind === 'file' ? 'a file to write, e.g. report.html' : 'a directory, e.g. runs/my-run';
  if (value.trim() === '') throw bad(option, value, `the path is empty; give ${what}`);
  if (value.includes('\0'))
    throw bad(option, value, `a path cannot hold a NUL character; give ${what}`);
  // Legal in Linux file names, but every message that names the path would carry them to the
  // terminal (or need escaping everywhere it is printed); no run directory needs one.
  const control = CONTROL_IN_PATH.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, '0');
    throw bad(
      option,
      value,
      `a path cannot hold control characters (\\x${code} at position ${control.index + 1}); give ${what}`,
    );
  }
  const path = resolve(value);
  if (Buffer.byteLength(path) > PATH_MAX_BYTES) {
    throw bad(
      option,
      value,
      `the whole path is ${Buffer.byteLength(path)} bytes long; at most ${PATH_MAX_BYTES} are allowed`,
    );
  }
  const parts = path.split(sep).filter((p) => p !== '');
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const limit = last && kind === 'directory' ? DIRECTORY_NAME_MAX_BYTES : NAME_MAX_BYTES;
    const bytes = Buffer.byteLength(part);
    if (bytes > limit) {
      const name = part.length > 40 ? `${part.slice(0, 37)}...` : part;
      throw bad(
        option,
        value,
        `the name ${quoted(name)} is ${bytes} bytes long; a ${last ? kind : 'directory'} name may have at most ${limit} bytes${limit < NAME_MAX_BYTES ? ` (the filesystem's ${NAME_MAX_BYTES}, less room for the .NAME.partial-xxxxxxxx it is first written as)` : ''}`,
      );
    }
  });
  const root = pseudoRoot(path);
  if (root) {
    throw bad(
      option,
      value,
      `${root} is a kernel pseudo-filesystem, not storage; choose a path on a disk, e.g. ${kind === 'file' ? 'report.html' : 'runs/my-run'}`,
    );
  }
  const existing = await nearestExisting(path);
  if (existing.path === path) {
    if (kind === 'directory' && !existing.isDirectory) {
      throw bad(option, value, `${path} is a file; give ${what}`);
    }
    if (kind === 'file' && existing.isDirectory) {
      throw bad(option, value, `${path} is a directory; give ${what}`);
    }
  } else if (!existing.isDirectory) {
    throw bad(
      option,
      value,
      `${existing.path} is a file, so nothing can be created under it; give ${what}`,
    );
  }
  const dir = existing.isDirectory ? existing.path : dirname(existing.path);
  if (await isPseudoFs(dir)) {
    throw bad(
      option,
      value,
      `${dir} is on a kernel pseudo-filesystem, not storage; choose a path on a disk, e.g. ${kind === 'file' ? 'report.html' : 'runs/my-run'}`,
    );
  }
  if (!(await probe.writable(dir))) {
    throw bad(
      option,
      value,
      `${dir} is not writable by this user (permission denied, or a read-only filesystem); give ${what} somewhere you can write`,
    );
  }
}
