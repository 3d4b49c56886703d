/**
 * Writes docs/studies/<name>.md for every study and docs/studies/README.md (the index) at the
 * repository root, and removes generated pages of studies that no longer exist. Run with
 * `pnpm --filter @gradlab/experiments run docs`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderStudyDocs, STUDY_DOCS_HEADER } from '../docs/study-docs.js';

// packages/experiments/{src,dist}/scripts -> the repository root.
const dir = fileURLToPath(new URL('../../../../docs/studies/', import.meta.url));
const files = renderStudyDocs();
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.md') || files.has(name)) continue;
  if (readFileSync(`${dir}${name}`, 'utf8').startsWith(STUDY_DOCS_HEADER)) {
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
console.log(`docs/studies: ${files.size} files, ${changed} written`);
