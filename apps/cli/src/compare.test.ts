import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

describe('gradlab compare --backends', () => {
  it('runs one spec on cpu and wasm: per-layer norms agree, one row per backend, a record', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gradlab-compare-b-')), 'cmp');
    const r = gradlab([
      'compare',
      'tiny',
      '--backends',
      'cpu,wasm',
      '--steps',
      '6',
      '--json',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.reference).toBe('cpu');
    expect(c.backends.map((b: { backend: string }) => b.backend)).toEqual(['cpu', 'wasm']);
    expect(c.layers.map((l: { layer: string }) => l.layer)).toEqual([
      'dense1',
      'dense2',
      'dense3',
      'output',
    ]);
    for (const l of c.layers) expect(l.maxRelDiff.wasm).toBeLessThan(1e-4);
    const wasm = c.backends.find((b: { backend: string }) => b.backend === 'wasm');
    expect(wasm.lossMaxRelDiff).toBeLessThan(1e-4);
    expect(wasm.info.device).toMatch(/WebAssembly/);
    expect(JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')).kind).toBe(
      'backend-comparison',
    );
    expect(readdirSync(out).sort()).toEqual(['comparison.html', 'comparison.json', 'cpu', 'wasm']);
    // comparison.html: one table row per backend, the differences and the overlaid profiles.
    const page = readFileSync(join(out, 'comparison.html'), 'utf8');
    const rows = [...page.matchAll(/<tr><td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual(['cpu', 'wasm']);
    expect(page).toContain('Gradient flow by backend');
  });

  it('an unavailable backend is a row saying why; the others still run', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gradlab-compare-u-')), 'cmp');
    // --jitless turns WebAssembly off in Node: wasm is unavailable, cpu runs.
    const r = gradlab(['compare', 'tiny', '--backends', 'cpu,wasm', '--steps', '3', '--out', out], {
      nodeArgs: ['--jitless'],
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wasm\s+│\s+unavailable \(see below\)/);
    expect(r.stdout).toMatch(/wasm unavailable: WebAssembly is not available/);
    expect(r.stdout).toMatch(/cpu\s+│ CPU/);
  });

  it('--quiet leaves stderr empty and still prints the tables', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gradlab-compare-q-')), 'cmp');
    const r = gradlab([
      'compare',
      'tiny',
      '--backends',
      'cpu,wasm',
      '--steps',
      '3',
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/wasm max rel\. diff/);
  });

  it('--with and --backends together are refused', () => {
    const r = gradlab(['compare', 'tiny', '--with', 'relu', '--backends', 'cpu']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not both/);
  });
});

describe('gradlab compare --with', () => {
  it('on deep-sigmoid: the baseline vanishes, relu+he-init, batchnorm and residual are healthy', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gradlab-compare-')), 'cmp');
    const r = gradlab([
      'compare',
      'deep-sigmoid',
      '--with',
      'relu+he-init,batchnorm,residual',
      '--backend',
      'wasm',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const row = (name: string) => r.stdout.split('\n').find((l) => l.includes(`│ ${name} `)) ?? '';
    expect(row('baseline')).toContain('vanishing');
    for (const v of ['relu+he-init', 'batchnorm', 'residual']) expect(row(v)).toContain('healthy');

    const comparison = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    expect(comparison.rows.map((x: { variant: string }) => x.variant)).toEqual([
      'baseline',
      'relu+he-init',
      'batchnorm',
      'residual',
    ]);
    const base = comparison.rows[0];
    const relu = comparison.rows[1];
    // The first layer's share of the gradient, at step 1: many orders of magnitude apart.
    expect(base.ratioFirstToLast.start).toBeLessThan(1e-6);
    expect(relu.ratioFirstToLast.start).toBeGreaterThan(1e-2);
    expect(relu.finalLoss).toBeLessThan(base.finalLoss);
    for (const dir of ['baseline', 'relu+he-init', 'batchnorm', 'residual']) {
      expect(readdirSync(join(out, dir)).sort()).toEqual([
        'metrics.jsonl',
        'run.json',
        'spec.json',
      ]);
    }
    // comparison.html overlays the variants' gradient-flow profiles and loss curves.
    expect(r.stdout).toContain(`report: ${join(out, 'comparison.html')}`);
    const page = readFileSync(join(out, 'comparison.html'), 'utf8');
    for (const v of ['baseline', 'relu+he-init', 'batchnorm', 'residual'])
      expect(page).toContain(v);
    const spec = JSON.parse(readFileSync(join(out, 'batchnorm', 'spec.json'), 'utf8'));
    expect(spec.model.norm).toBe('batchnorm');
  });

  it('an unknown mitigation is refused before anything runs or is written', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gradlab-compare-bad-'));
    const r = gradlab(['compare', 'tiny', '--with', 'relu,sparkle'], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sparkle/);
    expect(r.stderr).toMatch(/he-init/); // lists the known ones
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('mitigations lists every strategy with its token', () => {
    const r = gradlab(['mitigations', '--json']);
    expect(r.status).toBe(0);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((m) => m.name);
    for (const n of [
      'relu',
      'he-init',
      'batchnorm',
      'residual',
      'clip-global-norm',
      'cosine',
      'l2',
      'weight-clip',
      'pretrain',
      'lstm',
    ]) {
      expect(names).toContain(n);
    }
  });
});
