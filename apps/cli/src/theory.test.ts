import { formatNumber } from '@gradlab/core';
import { ACCURATE_Q, criticalSw2, meanField, predictedGradientRatio } from '@gradlab/theory';
import { describe, expect, it } from 'vitest';
import type { TheoryJsonOutput } from './commands/theory.js';
import { gradlab } from './test-cli.js';

function json(args: readonly string[]): TheoryJsonOutput {
  const r = gradlab(['theory', ...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as TheoryJsonOutput;
}

describe('gradlab theory', () => {
  it('prints the point meanField computes, and chi_1^depth over --depth layers', () => {
    const expected = meanField('tanh', { sw2: 1.5, sb2: 0.05 });
    const r = gradlab(['theory', 'tanh', '--sw2', '1.5', '--sb2', '0.05', '--depth', '30']);
    expect(r.status, r.stderr).toBe(0);
    const value = (name: string) => {
      const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith(`${name} `));
      return Number(line?.trim().slice(name.length).trim().split(/\s+/)[0]);
    };
    expect(value('q*')).toBeCloseTo(expected.qStar, 5);
    expect(value('chi_1')).toBeCloseTo(expected.chi1, 5);
    expect(value('xi_q')).toBeCloseTo(expected.xiQ, 4);
    expect(value('xi_c')).toBeCloseTo(expected.xiC, 3);
    expect(value('6 xi_c')).toBeCloseTo(expected.trainableDepth, 2);
    expect(r.stdout).toMatch(/phase\s+ordered/);
    const ratio = predictedGradientRatio(expected, 30);
    expect(r.stdout).toContain(`chi_1^30 = ${formatNumber(ratio, { digits: 6 })}`);
  });

  it('relu at sw2 = 2: no single q*, but q preserved exactly (never "undefined")', () => {
    const r = gradlab(['theory', 'relu', '--sw2', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('undefined');
    expect(r.stdout).toMatch(
      /^ {2}q\* +none +no single fixed point: q is preserved exactly .*sw2 = 2 with sb2 = 0/m,
    );
    expect(r.stdout).toMatch(/phase\s+critical/);
    // Off that point ReLU's length map has a fixed point (sb2 > 0) or none: q* is a number.
    const off = gradlab(['theory', 'relu', '--sw2', '1.5', '--sb2', '0.1']);
    expect(off.stdout).toMatch(/^ {2}q\* +0\.4 +fixed point of the length map/m);
  });

  it('--json: the same numbers, Infinity and NaN as null, the fate of the length saying which', () => {
    const out = json(['tanh', '--sw2', '4', '--sb2', '0.1', '--depth', '12']);
    const expected = meanField('tanh', { sw2: 4, sb2: 0.1 });
    expect(out.point.phase).toBe('chaotic');
    for (const key of ['qStar', 'chi1', 'cStar', 'chiC', 'xiQ', 'xiC'] as const) {
      expect(out.point[key]).toBeCloseTo(expected[key], 12);
    }
    expect(out.gradientRatio).toBeCloseTo(expected.chi1 ** 12, 12);
    expect(out).toMatchObject({ activation: 'tanh', critical: false, depth: 12 });

    const he = json(['relu', '--sw2', '2']);
    expect(he.point).toMatchObject({
      phase: 'critical',
      chi1: 1,
      lengthFate: 'marginal',
      qStar: null,
      xiC: null,
    });
    expect(he.gradientRatio).toBe(1);
  });

  it('--critical solves for sw2 on the critical line at --sb2 and prints that point', () => {
    const r = gradlab(['theory', 'tanh', '--critical', '--sb2', '0.05']);
    expect(r.status, r.stderr).toBe(0);
    const sw2 = criticalSw2('tanh', 0.05);
    expect(r.stdout).toContain(
      `tanh: the critical sw2 at sb2 = 0.05 is ${formatNumber(sw2, { digits: 6 })}`,
    );
    expect(r.stdout).toMatch(/phase\s+critical/);
    expect(r.stdout).toMatch(/xi_c\s+Infinity/);
  });

  it('off the critical line with xi_c infinite, the trainable depth says the gradient still grows', () => {
    // ReLU above He's sw2 = 2: correlations never bound the depth, but chi_1 = sw2 / 2 = 1.5.
    const r = gradlab(['theory', 'relu', '--sw2', '3']);
    expect(r.status, r.stderr).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.trimStart().startsWith('6 xi_c'));
    expect(row).toMatch(/6 xi_c\s+Infinity\s+trainable depth/);
    expect(row).toContain(
      'unbounded by correlations (xi_c infinite), but the gradient grows as chi_1^L = 1.5^L over L layers',
    );
    // On the critical line an infinite xi_c is the whole story: no qualification.
    const he = gradlab(['theory', 'relu', '--sw2', '2']);
    expect(he.stdout).toMatch(/6 xi_c\s+Infinity\s+trainable depth \(Schoenholz et al\. 2017\)\n/);
    expect(he.stdout).not.toContain('unbounded by correlations');
    // With a finite xi_c neither.
    const tanh = gradlab(['theory', 'tanh', '--sw2', '4', '--sb2', '0.1']);
    expect(tanh.stdout).not.toContain('unbounded by correlations');
  });

  it("q* past the quadrature's accurate range: xi_q is not printed as a number", () => {
    // tanh at sw2 = 2000, sb2 = 1000: q* = 2971, and the quadrature's slope gives xi_q = 0.
    const point = meanField('tanh', { sw2: 2000, sb2: 1000 });
    expect(point.qStar).toBeGreaterThan(ACCURATE_Q);
    expect(point.xiQ).toBe(0);
    const r = gradlab(['theory', 'tanh', '--sw2', '2000', '--sb2', '1000']);
    expect(r.status, r.stderr).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.trimStart().startsWith('xi_q'));
    expect(row).toMatch(
      /xi_q\s+unresolved\s+not printed: q\* = 2970\.\d+ is past the quadrature's accurate range \(q <= 64\)/,
    );
    const json = gradlab(['theory', 'tanh', '--sw2', '2000', '--sb2', '1000', '--json']);
    expect(JSON.parse(json.stdout).point.xiQ).toBeNull();
    // ReLU has closed forms: its q* = 200 is exact, and xi_q = 1 / ln 2 is printed.
    const relu = gradlab(['theory', 'relu', '--sw2', '1', '--sb2', '100']);
    expect(relu.stdout).toMatch(/xi_q\s+1\.4427\s/);
    // Below the range the number is printed as before.
    const tanh = gradlab(['theory', 'tanh', '--sw2', '1.5', '--sb2', '0.05']);
    expect(tanh.stdout).toMatch(/xi_q\s+1\.68\d*\s/);
  });

  it.each([
    [
      ['swish', '--sw2', '1'],
      /unknown activation "swish"\. gradlab theory knows linear, sigmoid, tanh, relu/,
    ],
    [['tanh', '--sw2', '-1'], /--sw2 is "-1": it must be a finite number >= 0/],
    [['tanh', '--sb2', '0.1'], /--sw2 is missing: give the weight variance .* or --critical/],
    [
      ['tanh', '--critical', '--sw2', '2'],
      /--critical solves for sw2, so it cannot be given as well \(--sw2 is "2"\)/,
    ],
  ])('bad input %j: exit 2, a paragraph on stderr, nothing on stdout', (args, message) => {
    const r = gradlab(['theory', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
