import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PublishablePackage {
  readonly name: string;
  readonly dir: string;
  readonly manifest: Record<string, unknown>;
}

/** Every package under packages/ that is not private: what `pnpm release` publishes. */
export function publishablePackages(repoRoot: string): PublishablePackage[] {
  const root = join(repoRoot, 'packages');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const dir = join(root, d.name);
      let manifest: Record<string, unknown>;
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        return [];
      }
      return manifest.private === true ? [] : [{ name: manifest.name as string, dir, manifest }];
    });
}
