/**
 * Writes docs/studies/<name>.md for every study and docs/studies/README.md (the index) at the
 * repository root, and removes generated pages of studies that no longer exist. Run with
 * `pnpm --filter @gradlab/experiments run docs`.
 */
import { fileURLToPath } from 'node:url';
import { syncGeneratedDocs } from '@gradlab/core/node';
import { renderStudyDocs, STUDY_DOCS_HEADER } from '../docs/study-docs.js';

// packages/experiments/{src,dist}/scripts -> the repository root.
const dir = fileURLToPath(new URL('../../../../docs/studies/', import.meta.url));
const files = renderStudyDocs();
const { written, removed } = syncGeneratedDocs(dir, files, STUDY_DOCS_HEADER);
for (const name of removed) console.log(`removed ${name}`);
console.log(`docs/studies: ${files.size} files, ${written} written`);
