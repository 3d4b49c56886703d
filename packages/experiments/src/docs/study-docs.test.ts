import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { studies } from '../studies/index.js';
import type { Study } from '../study.js';
import { renderStudyDocs } from './study-docs.js';

const dir = fileURLToPath(new URL('../../../../docs/studies/', import.meta.url));

const sample: Study<{ depth: number; init: string }> = {
  name: 'sample-study',
  title: 'A sample | with a pipe',
  reference: 'Glorot & Bengio (2010), Understanding the difficulty ..., AISTATS',
  claim: 'Xavier initialisation keeps the variance of activations constant with depth.',
  settings: { full: { depth: 20, init: 'xavier' }, fast: { depth: 5, init: 'xavier' } },
  scaleNote: 'Depth 20 instead of 50: the trend shows by depth 10.',
  usesBackend: true,
  checks: [{ id: 'variance-flat', claim: 'activation variance stays within 2x over depth' }],
  run: async () => ({ checks: [], figures: [] }),
};

describe('docs/studies', () => {
  it('the committed files are exactly what the generator writes (run `pnpm --filter @gradlab/experiments run docs`)', () => {
    const files = renderStudyDocs();
    const committed = readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort();
    expect(committed).toEqual([...files.keys()].sort());
    for (const [name, text] of files) {
      expect(readFileSync(`${dir}${name}`, 'utf8'), `docs/studies/${name} is stale`).toBe(text);
    }
    expect(files.size).toBe(studies.length + 1);
  });

  it('a page has the claim, reference, declared checks, scale note, both settings and how to run it', () => {
    const files = renderStudyDocs([sample]);
    const page = files.get('sample-study.md') as string;
    for (const part of [
      sample.claim,
      sample.reference,
      sample.scaleNote,
      '`variance-flat`: activation variance stays within 2x over depth',
      '| `depth` | `20` | `5` |',
      '| `init` | `"xavier"` | `"xavier"` |',
      'gradlab verify sample-study --fast',
      '`gradlab run <that spec.json>` reruns one arm alone',
      'on the backend `--backend` selects',
    ]) {
      expect(page).toContain(part);
    }
    const index = files.get('README.md') as string;
    expect(index).toContain('| [`sample-study`](sample-study.md) |');
    expect(index).toContain('## [`sample-study`](sample-study.md): A sample | with a pipe');
    expect(index).toContain(sample.scaleNote);
    expect(index).toContain('gradlab verify all');
  });

  it('a check that declares what it measures, its tolerance and counterfactuals gets its section', () => {
    const declared = {
      ...sample,
      checks: [
        {
          id: 'variance-flat',
          claim: 'activation variance stays within 2x over depth',
          measures: 'the largest over the smallest activation variance across the layers',
          tolerance: 'at most 2: one layer scatters by 10%',
          counterfactuals: [
            { change: '`init: "standard"`', measured: 'ratio 9.1: fails' },
            { change: '`depth: 1`', measured: 'no ratio to take: fails' },
          ],
        },
        { id: 'trains', claim: 'it trains' },
      ],
    };
    const files = renderStudyDocs([declared]);
    const page = files.get('sample-study.md') as string;
    for (const part of [
      '## Checks and their counterfactuals',
      '### `variance-flat`',
      '**Measures:** the largest over the smallest activation variance across the layers',
      '**Tolerance:** at most 2: one layer scatters by 10%',
      '- `init: "standard"`: ratio 9.1: fails',
      '- `depth: 1`: no ratio to take: fails',
      '### `trains`',
      '**Fails when:** no counterfactual is declared.',
    ]) {
      expect(page).toContain(part);
    }
    // The section sits between the settings and how to run the study.
    expect(page.indexOf('| `depth` |')).toBeLessThan(page.indexOf('## Checks and their'));
    expect(page.indexOf('## Checks and their')).toBeLessThan(page.indexOf('## Run it'));
    const index = files.get('README.md') as string;
    expect(index).toContain(
      '- `variance-flat`: activation variance stays within 2x over depth. Fails with `init: "standard"`; or `depth: 1`.',
    );
    expect(index).toContain('- `trains`: it trains\n');
    // Without any of it, a page has no such section.
    expect(renderStudyDocs([sample]).get('sample-study.md')).not.toContain('counterfactuals');
  });

  it('a study that declares no checks points to what verify prints; pipes in table cells are escaped', () => {
    const bare = { ...sample, checks: undefined, claim: 'a | b', usesBackend: false };
    const files = renderStudyDocs([bare]);
    expect(files.get('sample-study.md')).toContain('prints each check the study reports');
    expect(files.get('sample-study.md')).toContain('the same on every backend');
    expect(files.get('README.md')).toContain('| a \\| b |');
  });
});
