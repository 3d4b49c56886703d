import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOutPath, DIRECTORY_NAME_MAX_BYTES, NAME_MAX_BYTES } from './out-path.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gradlab-out-path-'));
  writeFileSync(join(work, 'a-file'), 'x');
  mkdirSync(join(work, 'a-dir'));
});

const rejects = (value: string, kind: 'directory' | 'file', message: RegExp) =>
  expect(checkOutPath(value, kind)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message });

describe('checkOutPath', () => {
  it('accepts a new directory under a writable one, and an existing directory', async () => {
    await expect(checkOutPath(join(work, 'new', 'deeper'), 'directory')).resolves.toBeUndefined();
    await expect(checkOutPath(join(work, 'a-dir'), 'directory')).resolves.toBeUndefined();
    await expect(checkOutPath(join(work, 'a-file'), 'file')).resolves.toBeUndefined();
  });

  it('refuses an empty path', () => rejects('', 'directory', /^--out "": the path is empty/));

  it('refuses a path under a file', () =>
    rejects(
      join(work, 'a-file', 'run'),
      'directory',
      /a-file is a file, so nothing can be created under it/,
    ));

  it('refuses a file where a directory is wanted, and a directory where a file is', async () => {
    await rejects(join(work, 'a-file'), 'directory', /a-file is a file; give a directory/);
    await rejects(join(work, 'a-dir'), 'file', /a-dir is a directory; give a file/);
  });

  it('refuses a name over the filesystem limit, leaving room for the staging name of a run', async () => {
    await rejects(
      join(work, 'n'.repeat(NAME_MAX_BYTES + 1), 'run'),
      'directory',
      /is 256 bytes long; a directory name may have at most 255 bytes/,
    );
    const run = join(work, 'r'.repeat(DIRECTORY_NAME_MAX_BYTES + 1));
    await rejects(run, 'directory', /at most 237 bytes/);
    await expect(
      checkOutPath(join(work, 'r'.repeat(DIRECTORY_NAME_MAX_BYTES)), 'directory'),
    ).resolves.toBeUndefined();
    // Bytes, not characters: 128 two-byte letters are 256 bytes.
    await rejects(join(work, 'é'.repeat(128)), 'file', /is 256 bytes long/);
  });

  it
    .runIf(process.platform === 'linux')
    .each(['/proc/gradlab-run', '/sys/kernel/run', '/dev/shm/run', '/proc'])(
    'refuses the kernel pseudo-filesystem %s',
    (path) => rejects(path, 'directory', /is a kernel pseudo-filesystem, not storage/),
  );

  it('refuses a directory this user cannot write to', () =>
    expect(
      checkOutPath(join(work, 'a-dir', 'run'), 'directory', '--out', {
        writable: async () => false,
      }),
    ).rejects.toThrow(/a-dir is not writable by this user/));

  it('refuses control characters in the path, naming the first and where it is', async () => {
    await rejects(
      join(work, 'run\u001b]0;owned\u0007'),
      'directory',
      /cannot hold control characters \(\\x1b at position \d+\)/,
    );
    await rejects('runs/a\tb', 'directory', /\(\\x09 at position 7\)/);
    await rejects('runs/\u009bx', 'file', /\(\\x9b at position 6\)/);
    // Letters beyond ASCII are not control characters.
    await expect(checkOutPath(join(work, 'résumé-运行'), 'directory')).resolves.toBeUndefined();
  });

  it('quotes the value with control characters escaped', () =>
    rejects(`\u001b[2J${'x'.repeat(300)}`, 'directory', /^--out "\\x1b\[2Jxxx/));
});
