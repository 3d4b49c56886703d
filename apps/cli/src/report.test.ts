import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

let work: string;
let run: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gradlab-report-e2e-'));
  run = join(work, 'tiny');
  const r = gradlab(['run', 'tiny', '--backend', 'cpu', '--out', run]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain(`report: ${join(run, 'report.html')}`);
});

function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
}

describe('gradlab report', () => {
  it('gradlab run wrote a self-contained report.html beside the record', () => {
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toContain('<h1>tiny</h1>');
    expect(html).toMatch(/Verdict: (healthy|vanishing|exploding|non-finite)/);
    expect(html).toContain('Per-layer gradients at step 20');
    // tiny is a tanh MLP: gradient flow, heatmap, loss and unit health (tanh saturates).
    expect(html.match(/<svg/g)?.length).toBe(4);
  });

  it('regenerates report.html and prints its path', () => {
    rmSync(join(run, 'report.html'));
    const r = gradlab(['report', run]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(run, 'report.html'));
    expectSelfContained(readFileSync(join(run, 'report.html'), 'utf8'));
  });

  it('--format md writes the verdict and the per-layer table as Markdown', () => {
    const r = gradlab(['report', run, '--format', 'md']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(run, 'report.md'));
    const md = readFileSync(join(run, 'report.md'), 'utf8');
    expect(md).toMatch(/^# tiny\n/);
    expect(md).toMatch(/\*\*Verdict: \w+/);
    for (const layer of ['dense1', 'dense2', 'dense3', 'output'])
      expect(md).toContain(`| ${layer} |`);
  });

  it('--format svg --out writes the gradient-flow chart', () => {
    const out = join(work, 'flow.svg');
    const r = gradlab(['report', run, '--format', 'svg', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Gradient flow');
    expect(svg).toContain('vanishing (step 20)');
  });

  it('a directory without run.json is refused: exit 2, RECORD_INCOMPLETE, nothing written', () => {
    const dir = join(work, 'not-a-run');
    mkdirSync(dir);
    const r = gradlab(['report', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has no run\.json: it is not a finished gradlab run/);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
    expect(gradlab(['report', join(work, 'missing')]).status).toBe(2);
  });

  // CI installs Chromium (.ci/run); without it the PNG export cannot run, so the test skips.
  const hasChromium = existsSync(process.env.GRADLAB_CHROMIUM || '/usr/bin/chromium');
  if (!hasChromium)
    console.warn('report.test.ts: skipping --format png: no Chromium (apt-get install chromium)');
  (hasChromium ? it : it.skip)(
    '--format png renders report.html in Chromium and writes a full-page PNG',
    () => {
      const fresh = join(work, 'png-run');
      cpSync(run, fresh, { recursive: true });
      rmSync(join(fresh, 'report.html'));
      const r = gradlab(['report', fresh, '--format', 'png']);
      expect(r.status, r.stderr).toBe(0);
      const png = join(fresh, 'report.png');
      expect(r.stdout.trim()).toBe(png);
      expect(existsSync(join(fresh, 'report.html'))).toBe(true);
      const bytes = readFileSync(png);
      expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
      expect(bytes.readUInt32BE(16)).toBe(1200);
      expect(bytes.readUInt32BE(20)).toBeGreaterThan(800);

      const out = join(work, 'shot.png');
      expect(gradlab(['report', run, '--format', 'png', '--out', out]).stdout.trim()).toBe(out);
      expect(readFileSync(out).subarray(1, 4).toString('latin1')).toBe('PNG');

      const missing = gradlab(['report', run, '--format', 'png', '--out', join(work, 'no.png')], {
        env: { GRADLAB_CHROMIUM: join(work, 'no-such-chromium') },
      });
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/GRADLAB_CHROMIUM .*apt-get install chromium/);
      expect(existsSync(join(work, 'no.png'))).toBe(false);
    },
  );

  it('an unknown --format is refused with exit 2', () => {
    const r = gradlab(['report', run, '--format', 'pdf']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/pdf/);
  });
});
