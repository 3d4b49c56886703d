import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepFile } from '@gradlab/sweep';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

let work: string;
let out: string;
/** 8 cells of `tiny` on cpu: depth {3, 4} x steps {2, 3} x mitigation {none, batchnorm}. */
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gradlab-sweep-report-'));
  out = join(work, 'sweep');
  const file = join(work, 'four.json');
  writeFileSync(
    file,
    JSON.stringify({
      gradlab: 1,
      name: 'four',
      base: 'tiny',
      grid: { 'model.depth': [3, 4], 'training.steps': [2, 3] },
      mitigations: ['none', 'batchnorm'],
      backends: ['cpu'],
    }),
  );
  const r = gradlab(['sweep', file, '--workers', '2', '--out', out, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
});

describe('gradlab report <sweep-dir>', () => {
  it('writes sweep.html: a heatmap per facet and measure, a link to every done cell', () => {
    const r = gradlab(['report', out, '--measure', 'finalLoss']);
    expect(r.status, r.stderr).toBe(0);
    const path = join(out, 'sweep.html');
    expect(r.stdout.trim()).toBe(path);
    const html = readFileSync(path, 'utf8');
    const index: SweepFile = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    // depth across, steps up, one heatmap per mitigation.
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('<figcaption>mitigation = none</figcaption>');
    expect(html).toContain('<figcaption>mitigation = batchnorm</figcaption>');
    const done = index.cells.filter((e) => e.status === 'done');
    expect(done).toHaveLength(8);
    for (const e of done) {
      expect(html).toContain(`xlink:href="cells/${e.id}/report.html"`);
      expect(existsSync(join(out, `cells/${e.id}/report.html`))).toBe(true);
    }
  });

  it('draws every measure the cells have by default, into --out', () => {
    const path = join(work, 'elsewhere.html');
    const r = gradlab(['report', out, '--out', path]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(path, 'utf8');
    // Every measure a regression's cells have (no accuracy: tiny is a regression), two facets each.
    const drawn = [...html.matchAll(/<h2>([^<]+)<\/h2><div class="facets">/g)].map((m) => m[1]);
    expect(drawn).toEqual([
      'verdict',
      'final loss',
      'gradient ratio, first layer / last',
      'gradient ratio at initialisation, first layer / last',
      'backpropagated signal, first / last',
    ]);
    expect(html.match(/<svg/g)).toHaveLength(drawn.length * 2);
  });

  it('bad options exit 2 naming the option, the value and what is allowed', () => {
    const measure = gradlab(['report', out, '--measure', 'nope']);
    expect(measure.status).toBe(2);
    expect(measure.stderr).toContain(
      '--measure nope: no such measure; the measures are verdict, finalLoss, accuracy, gradientRatio, initialGradientRatio, signalRatio',
    );
    const axis = gradlab(['report', out, '--x', 'depth']);
    expect(axis.status).toBe(2);
    expect(axis.stderr).toContain('--x depth:');
    expect(axis.stderr).toContain('model.depth, training.steps, mitigation, backend');
    const run = gradlab(['report', join(out, 'cells', readCellId(out)), '--y', 'model.depth']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--y: only for a sweep directory');
  });
});

const readCellId = (dir: string): string =>
  (JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepFile).cells[0]?.id ?? '';
