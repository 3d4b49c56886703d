/**
 * Writes docs/mitigations/<name>.md for every strategy and docs/mitigations/README.md (the
 * index) at the repository root, and removes generated pages of strategies that no longer
 * exist. Run with `pnpm --filter @gradlab/mitigations run docs`.
 */
import { fileURLToPath } from 'node:url';
import { syncGeneratedDocs } from '@gradlab/core/node';
import { renderMitigationDocs } from '../docs.js';

// packages/mitigations/{src,dist}/scripts -> the repository root.
const dir = fileURLToPath(new URL('../../../../docs/mitigations/', import.meta.url));
const files = renderMitigationDocs();
const { written, removed } = syncGeneratedDocs(
  dir,
  files,
  '<!-- Generated from packages/mitigations',
);
for (const name of removed) console.log(`removed ${name}`);
console.log(`docs/mitigations: ${files.size} files, ${written} written`);
