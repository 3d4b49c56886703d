import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishablePackage } from './publishable-packages.js';

/**
 * `pnpm pack` of one package into `destination`: the tarball `pnpm release` would publish, with
 * workspace:* rewritten to versions and publishConfig applied. Returns the tarball's path.
 */
export function packPackage(pkg: PublishablePackage, destination: string): string {
  const before = new Set(readdirSync(destination));
  execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    cwd: pkg.dir,
    stdio: 'pipe',
  });
  const made = readdirSync(destination).filter((f) => f.endsWith('.tgz') && !before.has(f));
  if (made.length !== 1) throw new Error(`pnpm pack of ${pkg.name} made ${made.length} tarballs`);
  return join(destination, made[0] as string);
}

/** The paths inside a tarball, without the leading "package/". */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

/** The package.json inside a tarball, as published. */
export function tarballManifest(tarball: string): Record<string, unknown> {
  const text = execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
    encoding: 'utf8',
  });
  return JSON.parse(text);
}

/**
 * Why a file must not be in a tarball, or null where it belongs: the build, the README, the
 * LICENSE and package.json, plus what an install script needs (`extra`); no sources, tests,
 * test helpers, build scripts or source maps.
 */
export function unwantedFile(path: string, extra: readonly string[] = []): string | null {
  if (['package.json', 'README.md', 'LICENSE'].includes(path)) return null;
  if (extra.some((e) => path === e || path.startsWith(`${e}/`))) return null;
  if (!path.startsWith('dist/')) return 'outside dist';
  if (/\.test\.|(^|\/)test-[^/]*$|(^|\/)self-test\//.test(path)) return 'a test or test helper';
  if (path.startsWith('dist/scripts/')) return 'a build script';
  if (path.endsWith('.map')) return 'a source map of sources that are not shipped';
  return null;
}

/** What a published package.json must have for the registry page and for installs. */
export function manifestProblems(manifest: Record<string, unknown>, dir: string): string[] {
  const problems: string[] = [];
  for (const field of ['description', 'keywords', 'homepage', 'bugs']) {
    if (!manifest[field]) problems.push(`no ${field}`);
  }
  if (manifest.license !== 'Apache-2.0') problems.push(`license ${String(manifest.license)}`);
  const repository = manifest.repository as { url?: string; directory?: string } | undefined;
  if (!repository?.url?.includes('github.com/gradlab/gradlab')) problems.push('no repository url');
  if (repository?.directory !== dir) problems.push(`repository.directory is not ${dir}`);
  if ((manifest.engines as { node?: string } | undefined)?.node !== '>=20') {
    problems.push('engines.node is not >=20');
  }
  const text = JSON.stringify(manifest);
  if (text.includes('workspace:')) problems.push('a workspace: dependency left unrewritten');
  if (text.includes('@gradlab/source')) problems.push('the @gradlab/source condition is published');
  return problems;
}
