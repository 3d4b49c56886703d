/**
 * Writes docs/mitigations/<name>.md for every strategy and docs/mitigations/README.md (the
 * index) at the repository root, and removes generated pages of strategies that no longer
 * exist. Run with `pnpm --filter @gradlab/mitigations run docs`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMitigationDocs } from '../docs.js';

// packages/mitigations/{src,dist}/scripts -> the repository root.
const dir = fileURLToPath(new URL('../../../../docs/mitigations/', import.meta.url));
const files = renderMitigationDocs();
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.md') || files.has(name)) continue;
  if (
    readFileSync(`${dir}${name}`, 'utf8').startsWith('<!-- Generated from packages/mitigations')
  ) {
    rmSync(`${dir}${name}`);
    console.log(`removed ${name}`);
  }
}
let changed = 0;
for (const [name, text] of files) {
  let before: string | null = null;
  try {
    before = readFileSync(`${dir}${name}`, 'utf8');
  } catch {}
  if (before === text) continue;
  writeFileSync(`${dir}${name}`, text);
  changed += 1;
}
console.log(`docs/mitigations: ${files.size} files, ${changed} written`);
