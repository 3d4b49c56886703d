import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The examples run as a user runs them: built, with node. `pnpm test` builds them first.
function example(name: string): { status: number | null; stdout: string; stderr: string } {
  const file = fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
  if (!existsSync(file))
    throw new Error(`${file} is missing: build the examples first (pnpm build)`);
  return spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 120_000 });
}

describe('examples', () => {
  it('monitor-your-model: sigmoid with small weights vanishes, ReLU with He does not, nothing leaks', () => {
    const r = example('monitor-your-model');
    expect(r.status, r.stderr).toBe(0);
    const [sigmoid, relu] = r.stdout.split('relu, He normal');
    expect(sigmoid).toMatch(/verdict vanishing/);
    expect(relu).toMatch(/verdict healthy/);
    expect(r.stdout).toMatch(/tensors still allocated: 0/);
  });

  it('run-an-experiment: reports the vanishing gradient as it appears, then every layer', () => {
    const r = example('run-an-experiment');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('step 1: dense1 healthy -> vanishing');
    expect(r.stdout).toMatch(/deep-tanh on WebAssembly.*: vanishing/);
    for (const layer of ['dense1', 'dense15', 'output']) expect(r.stdout).toContain(layer);
  });
});
