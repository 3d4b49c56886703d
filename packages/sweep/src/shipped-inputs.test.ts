import { readFileSync } from 'node:fs';
import { parseSpecJson } from '@gradlab/core';
import { listPresets, presetSpec } from '@gradlab/experiments';
import { describe, expect, it } from 'vitest';
import { sweeps } from './catalogue.js';
import { parseSweep, parseSweepJson } from './schema.js';

/**
 * Specs and sweeps are strict: every one gradlab ships (presets, named sweeps, the JSON in the
 * README and docs) must still parse, so none carries a field the schema does not know.
 */

const root = new URL('../../../', import.meta.url);

/** The ```json blocks of a Markdown file that are gradlab documents. */
function jsonBlocks(file: string): string[] {
  const text = readFileSync(new URL(file, root), 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((m) => m[1] as string)
    .filter((block) => /"gradlab":\s*1/.test(block));
}

describe('everything shipped parses under the strict schemas', () => {
  it('every preset', () => {
    expect(listPresets().length).toBeGreaterThan(5);
    for (const p of listPresets()) expect(presetSpec(p.name).name).toBe(p.name);
  });

  it('every named sweep and its fast variant', () => {
    for (const s of sweeps) {
      expect(parseSweep(s.sweep, s.name).name).toBe(s.sweep.name);
      if (s.fast) expect(parseSweep(s.fast.sweep, `${s.name} --fast`).name).toBe(s.fast.sweep.name);
    }
  });

  it.each(['README.md', 'docs/sweeps.md'])('every spec and sweep in %s', (file) => {
    const blocks = jsonBlocks(file);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      // A sweep names its base; a spec has a model.
      if (/"base"/.test(block)) parseSweepJson(block, file);
      else parseSpecJson(block, file);
    }
  });
});
