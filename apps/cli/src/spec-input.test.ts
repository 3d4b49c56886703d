import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, gradlab } from './test-cli.js';

/**
 * Spec and sweep files a new user might hand gradlab: each gets exit 2 and one clear message
 * naming the path, the value and what is allowed; never a stack trace, and nothing written.
 */

const tinySpec = {
  gradlab: 1,
  name: 'input',
  data: { kind: 'teacher', inputSize: 4, outputSize: 2, samples: 64 },
  model: { kind: 'mlp', depth: 3, width: 4, activation: 'tanh' },
  training: { steps: 2, batchSize: 16 },
};

/** Two cells of `tiny`, two steps each, on cpu. */
const twoCells = {
  gradlab: 1,
  name: 'bom',
  base: 'tiny',
  grid: { 'model.depth': [3, 4], 'training.steps': [2] },
  backends: ['cpu'],
};

let work: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  work = mkdtempSync(join(tmpdir(), 'gradlab-input-'));
});

/** A fresh directory holding one file; gradlab runs there, so `runs/` would appear in it. */
function fileInFreshDir(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(work, 'case-'));
  writeFileSync(join(dir, name), text);
  return { dir, file: join(dir, name) };
}

function expectCleanRefusal(r: ReturnType<typeof gradlab>, dir: string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('unexpected error');
  expect(r.stdout).toBe('');
  expect(readdirSync(dir)).toHaveLength(1);
}

describe('a spec nested 10,000 levels deep', () => {
  it.each([
    ['objects', (inner: string) => `{"x": ${inner}}`, 'model.x.x'],
    ['arrays', (inner: string) => `[${inner}]`, 'model[0][0]'],
  ])('of %s: exit 2, the path where it got too deep and the limit', (_, wrap, path) => {
    let deep = '1';
    for (let i = 0; i < 10_000; i++) deep = wrap(deep);
    const { dir } = fileInFreshDir('deep.json', `{"gradlab": 1, "model": ${deep}}`);
    const r = gradlab(['run', 'deep.json'], { cwd: dir });
    expectCleanRefusal(r, dir);
    expect(r.stderr).toContain('deep.json is not a valid gradlab experiment');
    expect(r.stderr).toContain(`  ${path}`);
    expect(r.stderr).toMatch(
      /nested too deep: this object or array is level 65; at most 64 levels/,
    );
  });

  it('as a sweep file: exit 2, the path and the limit', () => {
    let deep = '1';
    for (let i = 0; i < 10_000; i++) deep = `[${deep}]`;
    const text = JSON.stringify({ ...twoCells, grid: {} }).replace(
      '{}',
      `{"model.depth": ${deep}}`,
    );
    const { dir } = fileInFreshDir('deep-sweep.json', text);
    const r = gradlab(['sweep', 'deep-sweep.json'], { cwd: dir });
    expectCleanRefusal(r, dir);
    expect(r.stderr).toContain('deep-sweep.json is not a valid gradlab sweep');
    expect(r.stderr).toMatch(
      / {2}grid\["model\.depth"\]\[0\]\.\.\.\(\d+ more levels\)\.\.\.\[0\]\[0\]: nested too deep: .*at most 64 levels/,
    );
  });
});

describe('a misspelt field', () => {
  it('in a spec: exit 2, and the field it was likely meant as', () => {
    const { dir } = fileInFreshDir(
      'typo.json',
      JSON.stringify({ ...tinySpec, training: { stpes: 5 } }),
    );
    const r = gradlab(['run', 'typo.json'], { cwd: dir });
    expectCleanRefusal(r, dir);
    expect(r.stderr).toContain(
      'training: unknown field "stpes" (given 5); did you mean `steps`? The fields here: steps, batchSize,',
    );
  });

  it('at the top of a sweep: exit 2, and the field it was likely meant as', () => {
    const { dir } = fileInFreshDir(
      'typo-sweep.json',
      JSON.stringify({ ...twoCells, sedes: [0, 1] }),
    );
    const r = gradlab(['sweep', 'typo-sweep.json'], { cwd: dir });
    expectCleanRefusal(r, dir);
    expect(r.stderr).toMatch(
      /\(spec\): unknown field "sedes" \(given \[0,1\]\); did you mean `seeds`\?/,
    );
  });
});

describe('a UTF-8 byte-order mark at the start of the file', () => {
  it('is accepted in a spec file: the run goes ahead', () => {
    const { dir } = fileInFreshDir('bom.json', `\uFEFF${JSON.stringify(tinySpec)}`);
    const r = gradlab(['run', 'bom.json', '--backend', 'cpu', '--out', join(dir, 'out')], {
      cwd: dir,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verdict: /);
  });

  it('is accepted in a sweep file: the sweep runs its cells', () => {
    const { dir } = fileInFreshDir('bom-sweep.json', `\uFEFF${JSON.stringify(twoCells)}`);
    const r = gradlab(['sweep', 'bom-sweep.json', '--workers', '1', '--out', join(dir, 'out')], {
      cwd: dir,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out', 'cells'))).toHaveLength(2);
  });
});
