import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

// A name that would retitle the terminal and turn it red if printed raw. gradlab quotes names
// (a spec's, a cell's params) through printable(): the escape is shown, never sent.
const EVIL = '\u001b]0;pwned\u0007\u001b[31m';
const SHOWN = '\\x1b]0;pwned\\x07\\x1b[31m';

describe('names with escape sequences reach the terminal escaped', () => {
  it("gradlab sweep: a grid over the spec's name, in the progress lines and the table", () => {
    const work = mkdtempSync(join(tmpdir(), 'gradlab-escapes-'));
    const file = join(work, 'esc.json');
    writeFileSync(
      file,
      JSON.stringify({
        gradlab: 1,
        name: 'esc',
        base: 'tiny',
        grid: { name: [`a${EVIL}`, 'b'], 'training.steps': [2] },
        backends: ['cpu'],
      }),
    );
    // NO_COLOR (set by gradlab()): any ESC in the output came from the input.
    const r = gradlab(['sweep', file, '--workers', '1', '--out', join(work, 'out')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`name=a${SHOWN}`);
    expect(r.stdout).toContain(`a${SHOWN}`);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout + r.stderr).not.toContain('\u0007');
  });
});
