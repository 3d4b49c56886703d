import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ReadmeExample } from './readme-examples.js';

const run = promisify(execFile);

/**
 * A project outside the workspace, as a user makes one: the tarballs and what the examples
 * import besides (a tfjs backend, Node's types), installed by npm with no workspace links.
 * Install scripts are not run: the only one builds backend-blas's native addon, whose example
 * is compile-only.
 */
export async function installTarballs(dir: string, tarballs: Record<string, string>) {
  const dependencies = {
    ...Object.fromEntries(Object.entries(tarballs).map(([name, t]) => [name, `file:${t}`])),
    '@tensorflow/tfjs-backend-cpu': '4.22.0',
    '@types/node': '^20.19.0',
  };
  const manifest = { name: 'gradlab-packaging-check', private: true, type: 'module', dependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
    ],
    { cwd: dir, maxBuffer: 64 * 2 ** 20, timeout: 240_000 },
  );
}

/** Writes each example to ex/<id>.ts and compiles them all with strict tsc into out/. */
export async function compileExamples(
  dir: string,
  examples: readonly ReadmeExample[],
  tscPath: string,
): Promise<{ ok: boolean; output: string }> {
  mkdirSync(join(dir, 'ex'), { recursive: true });
  for (const e of examples) writeFileSync(join(dir, 'ex', `${e.id}.ts`), e.code);
  const tsconfig = {
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023'],
      types: ['node'],
      skipLibCheck: true,
      rootDir: 'ex',
      outDir: 'out',
    },
    include: ['ex'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  try {
    await run(process.execPath, [tscPath, '-p', dir], { cwd: dir, maxBuffer: 16 * 2 ** 20 });
    return { ok: true, output: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** Runs a compiled example with node; null when it exits 0, else what it printed. */
export async function runExample(dir: string, id: string): Promise<string | null> {
  try {
    await run(process.execPath, [join('out', `${id}.js`)], {
      cwd: dir,
      timeout: 120_000,
      maxBuffer: 16 * 2 ** 20,
    });
    return null;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return `${err.message}\n${(err.stderr ?? '').slice(-2000)}`;
  }
}

/** Why the npm registry cannot be used here, or null when it answers within 10 s. */
export async function registryUnreachableReason(): Promise<string | null> {
  const { stdout } = await run('npm', ['config', 'get', 'registry']);
  const registry = stdout.trim() || 'https://registry.npmjs.org/';
  try {
    const response = await fetch(new URL('typescript', registry), {
      method: 'HEAD',
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? null : `the npm registry ${registry} answered ${response.status}`;
  } catch (e) {
    return `the npm registry ${registry} is unreachable (${(e as Error).message})`;
  }
}
