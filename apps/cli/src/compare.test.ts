import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

describe('gradlab compare --backends', () => {
  it('runs one spec on cpu and wasm: step-1 gradient agreement and trajectory drift, apart, in JSON, text and page', () => {
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
    expect(c.tolerance).toBe(1e-3);
    expect(c.backends.map((b: { backend: string }) => b.backend)).toEqual(['cpu', 'wasm']);
    expect(c.layers.map((l: { layer: string }) => l.layer)).toEqual([
      'dense1',
      'dense2',
      'dense3',
      'output',
    ]);
    const wasm = c.backends.find((b: { backend: string }) => b.backend === 'wasm');
    expect(wasm.info.device).toMatch(/WebAssembly/);
    // (a) Step 1, same weights and batch: the backends' arithmetic, a float32 rounding apart.
    expect(typeof wasm.step1.maxRelDiff).toBe('number');
    expect(wasm.step1.maxRelDiff).toBeLessThan(1e-4);
    expect(c.layers.map((l: { layer: string }) => l.layer)).toContain(wasm.step1.worstLayer);
    for (const l of c.layers) {
      expect(l.step1RelDiff.wasm).toBeLessThan(1e-4);
      expect(l.step1RelDiff.wasm).toBeLessThanOrEqual(wasm.step1.maxRelDiff);
      expect(l.step1GradNorm.cpu).toBeGreaterThan(0);
    }
    // (b) Drift over the run: the largest differences, and the first step beyond 1e-3 or 'never'.
    expect(wasm.drift.steps).toBe(6);
    expect(typeof wasm.drift.lossMaxRelDiff).toBe('number');
    expect(typeof wasm.drift.gradNormMaxRelDiff).toBe('number');
    const d = wasm.drift.firstDivergence;
    if (d === 'never') {
      expect(wasm.drift.lossMaxRelDiff).toBeLessThanOrEqual(1e-3);
      expect(wasm.drift.gradNormMaxRelDiff).toBeLessThanOrEqual(1e-3);
    } else {
      expect(Number.isInteger(d.step) && d.step >= 1 && d.step <= 6).toBe(true);
      expect(d.relDiff).toBeGreaterThan(1e-3);
    }
    // The drift is over all steps, step 1 included: never below step 1's figure.
    expect(wasm.drift.gradNormMaxRelDiff).toBeGreaterThanOrEqual(
      Math.max(...c.layers.map((l: { step1RelDiff: { wasm: number } }) => l.step1RelDiff.wasm)) *
        (1 - 1e-12),
    );
    const cpu = c.backends.find((b: { backend: string }) => b.backend === 'cpu');
    expect(cpu.step1).toBeNull(); // the reference
    expect(cpu.drift).toBeNull();
    expect(JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')).kind).toBe(
      'backend-comparison',
    );
    expect(readdirSync(out).sort()).toEqual(['comparison.html', 'comparison.json', 'cpu', 'wasm']);
    // comparison.html: one table row per backend, both figures labelled, the overlaid profiles.
    const page = readFileSync(join(out, 'comparison.html'), 'utf8');
    const rows = [...page.matchAll(/<tr><td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual(['cpu', 'wasm']);
    expect(page).toContain(
      'step-1 gradient agreement (same weights, same batch), max relative difference: <strong>',
    );
    expect(page).toMatch(
      /training-trajectory drift over 6 steps: .*(diverged beyond 1e-3 at step \d+|stayed within 1e-3 over all 6 steps)/,
    );
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
    // Both figures, each saying what it measures.
    expect(r.stdout).toMatch(
      /wasm against cpu:\n {2}step-1 gradient agreement \(same weights, same batch\), max relative difference: \d\.\d\de-\d+ \(\w+\)\n {2}training-trajectory drift over 3 steps: loss max relative difference \S+, gradient norms \S+; (diverged beyond 1e-3 at step \d|stayed within 1e-3 over all 3 steps)/,
    );
    expect(r.stdout).toMatch(/wasm: step-1 rel\. diff/);
    expect(r.stdout).toMatch(/wasm: max rel\. diff, 3 steps/);
    expect(r.stdout).toMatch(/│ wasm +│ WebAssembly[^│]*│ +[\d.]+ │ +\S+ │ +\S+ │ +(never|\d+) │/);
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
