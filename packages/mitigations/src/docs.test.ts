import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listMitigations } from './catalogue.js';
import { renderMitigationDocs } from './docs.js';
import * as api from './index.js';

const dir = fileURLToPath(new URL('../../../docs/mitigations/', import.meta.url));
const files = renderMitigationDocs();

describe('docs/mitigations', () => {
  it('the committed files are exactly what the generator writes (run `pnpm --filter @gradlab/mitigations run docs`)', () => {
    const committed = readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort();
    expect(committed).toEqual([...files.keys()].sort());
    for (const [name, text] of files) {
      expect(readFileSync(`${dir}${name}`, 'utf8'), `docs/mitigations/${name} is stale`).toBe(text);
    }
  });

  it('every strategy has a page with its problem, how, limits, citation, token and standalone function', () => {
    const index = files.get('README.md') as string;
    for (const m of listMitigations()) {
      const page = files.get(`${m.name}.md`) as string;
      for (const part of [m.problem, m.how, m.whenItDoesNotHelp, m.citation, m.usage, m.example]) {
        expect(page).toContain(part);
      }
      for (const f of m.standalone) {
        expect(page).toContain(`${f}(`);
        expect(typeof (api as Record<string, unknown>)[f], f).toBe('function');
      }
      expect(index).toContain(`](${m.name}.md)`);
    }
  });
});
