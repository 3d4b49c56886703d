import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Brings a folder of generated Markdown pages in line with `files` (name -> text): writes the
 * pages whose text changed and removes pages that start with `header` (so were generated) but
 * are no longer in `files`. Hand-written pages in the folder are left alone. Returns what it did.
 * It is the packages' `docs` scripts' one shared step, so it lives in core, and is Node-only
 * (exported from "@gradlab/core/node"): it writes files.
 */
export function syncGeneratedDocs(
  dir: string,
  files: ReadonlyMap<string, string>,
  header: string,
): { readonly written: number; readonly removed: readonly string[] } {
  mkdirSync(dir, { recursive: true });
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.md') || files.has(name)) continue;
    if (readFileSync(join(dir, name), 'utf8').startsWith(header)) {
      rmSync(join(dir, name));
      removed.push(name);
    }
  }
  let written = 0;
  for (const [name, text] of files) {
    let before: string | null = null;
    try {
      before = readFileSync(join(dir, name), 'utf8');
    } catch {}
    if (before === text) continue;
    writeFileSync(join(dir, name), text);
    written += 1;
  }
  return { written, removed };
}
