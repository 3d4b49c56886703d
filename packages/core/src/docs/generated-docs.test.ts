import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncGeneratedDocs } from './generated-docs.js';

const HEADER = '<!-- generated -->';

describe('syncGeneratedDocs', () => {
  it('writes changed pages only, removes stale generated pages and keeps hand-written ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradlab-docs-'));
    writeFileSync(join(dir, 'same.md'), `${HEADER}\nsame`);
    writeFileSync(join(dir, 'old.md'), `${HEADER}\nold`);
    writeFileSync(join(dir, 'stale.md'), `${HEADER}\nno longer generated`);
    writeFileSync(join(dir, 'notes.md'), 'written by hand');
    const files = new Map([
      ['same.md', `${HEADER}\nsame`],
      ['old.md', `${HEADER}\nnew`],
      ['added.md', `${HEADER}\nadded`],
    ]);
    expect(syncGeneratedDocs(dir, files, HEADER)).toEqual({ written: 2, removed: ['stale.md'] });
    expect(readdirSync(dir).sort()).toEqual(['added.md', 'notes.md', 'old.md', 'same.md']);
    expect(readFileSync(join(dir, 'old.md'), 'utf8')).toBe(`${HEADER}\nnew`);
    expect(syncGeneratedDocs(dir, files, HEADER)).toEqual({ written: 0, removed: [] });
  });
});
