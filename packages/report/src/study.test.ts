import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.js';
import { cellText, renderStudyReport } from './study.js';
import type { StudyReportInput } from './study-input.js';
import { renderVerifySummary } from './verify-summary.js';

function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/<link\b/i);
}

function verification(over: Partial<StudyReportInput> = {}): StudyReportInput {
  return {
    name: 'deep-linear',
    title: 'Deep linear networks',
    reference: 'Saxe, McClelland & Ganguli (2014), Exact solutions ..., ICLR',
    claim: 'Orthogonal init keeps learning time independent of depth.',
    scaleNote: 'Depths up to 32 instead of 100.',
    scale: 'fast',
    settings: { depths: [2, 8], steps: 50 },
    backend: 'wasm',
    status: 'complete',
    pass: false,
    checks: [
      {
        id: 'orthogonal-flat',
        claim: 'orthogonal: time to loss 0.1 grows less than 2x from depth 2 to 32',
        pass: true,
        measured: 'ratio 1.3',
        expected: '< 2',
      },
      {
        id: 'gaussian-grows',
        claim: 'gaussian: time grows with depth',
        pass: false,
        measured: 'ratio 1.1',
        expected: '> 3',
      },
    ],
    figures: [
      {
        id: 'time',
        title: 'Learning time by depth',
        kind: 'line',
        x: { title: 'depth' },
        y: { title: 'steps', log: true },
        points: [2, 8, 32].flatMap((x) => [
          { series: 'orthogonal', x, y: 10 },
          { series: 'gaussian', x, y: x * 10 },
        ]),
        caption: 'Flat is the claim.',
      },
      {
        id: 'bars',
        title: 'Final loss',
        kind: 'bar',
        x: { title: 'init' },
        y: { title: 'loss' },
        points: [
          { series: 'loss', x: 'orthogonal', y: 0.01 },
          { series: 'loss', x: 'gaussian', y: 0.2 },
        ],
      },
    ],
    tables: [
      {
        id: 't',
        title: 'Steps to loss 0.1',
        columns: ['depth', 'orthogonal', 'gaussian'],
        rows: [
          [2, 10, 12],
          [32, 13, null],
        ],
      },
    ],
    runs: [
      {
        label: 'orthogonal depth 2',
        status: 'complete',
        steps: 50,
        finalLoss: 0.0123,
        evaluation: { loss: 0.011, accuracy: null, samples: 256 },
        verdict: 'healthy',
        record: 'orthogonal-depth-2',
      },
      {
        label: 'gaussian depth 32',
        status: 'failed',
        steps: 3,
        finalLoss: null,
        evaluation: null,
        verdict: 'non-finite',
        error: 'NaN loss',
      },
    ],
    startedAt: '2026-01-01T00:00:00.000Z',
    seconds: 12.34,
    ...over,
  };
}

describe('renderStudyReport', () => {
  it('is self-contained: title, reference, claim, scale note, every check with PASS/FAIL, measured and expected', async () => {
    const v = verification();
    const html = await renderStudyReport(v);
    expectSelfContained(html);
    expect(html).toContain('<title>gradlab verify: deep-linear</title>');
    expect(html).toContain('deep-linear: Deep linear networks');
    expect(html).toContain('FAIL: 1 of 2 checks passed');
    for (const text of [v.reference, v.claim, v.scaleNote, 'depths: [2,8]; steps: 50', 'wasm']) {
      expect(html).toContain(escapeHtml(text));
    }
    const rows = [
      ...html.matchAll(
        /<tr><td class="result-(PASS|FAIL)">\1<\/td><td><code>([^<]+)<\/code><\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><\/tr>/g,
      ),
    ];
    expect(rows.map((r) => r.slice(1))).toEqual(
      v.checks.map((c) => [
        c.pass ? 'PASS' : 'FAIL',
        c.id,
        c.claim,
        c.measured,
        escapeHtml(c.expected),
      ]),
    );
  });

  it('draws every figure as inline SVG with its caption, every table, and links every run record', async () => {
    const html = await renderStudyReport(verification());
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('<figcaption>Learning time by depth</figcaption>');
    expect(html).toContain('<p class="caption">Flat is the claim.</p>');
    expect(html).toContain('<h3>Steps to loss 0.1</h3>');
    expect(html).toContain('<td class="num">32</td><td class="num">13</td><td>-</td>');
    expect(html).toContain('<a href="./orthogonal-depth-2/report.html">report</a>');
    expect(html).toContain('failed: NaN loss');
    expect(html.match(/report\.html/g)).toHaveLength(1);
  });

  it('a study that failed with an error or was cancelled says so', async () => {
    const error = await renderStudyReport(
      verification({
        status: 'error',
        pass: false,
        checks: [],
        figures: [],
        error: 'TypeError: boom',
      }),
    );
    expect(error).toContain('FAIL: 0 of 0 checks passed');
    expect(error).toContain('The study failed: TypeError: boom');
    expect(error).toContain('No check was reported.');
    const cancelled = await renderStudyReport(
      verification({ status: 'cancelled', pass: false, error: 'cancelled' }),
    );
    expect(cancelled).toContain('CANCELLED: 1 of 2 checks passed');
  });

  it('a figure whose log axis meets only zeros says why instead of crashing', async () => {
    const html = await renderStudyReport(
      verification({
        figures: [
          {
            id: 'z',
            title: 'All zero',
            kind: 'point',
            x: { title: 'x' },
            y: { title: 'y', log: true },
            points: [
              { series: 's', x: 1, y: 0 },
              { series: 's', x: 2, y: -1 },
              { series: 's', x: 3, y: 4 },
            ],
          },
        ],
      }),
    );
    expect(html.match(/<svg/g)).toHaveLength(1);
    expect(html).toContain('2 of 3 points are not drawn');
  });

  it('escapes hostile strings everywhere: names, claims, checks, captions, tables, run labels and links', async () => {
    const evil = '<script>alert("x")</script>';
    const html = await renderStudyReport(
      verification({
        name: evil,
        title: '<img src=x onerror=alert(1)>',
        reference: evil,
        claim: evil,
        scaleNote: evil,
        settings: { [evil]: evil },
        backend: '"><b>backend</b>',
        checks: [{ id: evil, claim: evil, pass: true, measured: evil, expected: evil }],
        figures: [
          {
            id: evil,
            title: evil,
            kind: 'bar',
            x: { title: evil },
            y: { title: evil },
            points: [{ series: evil, x: evil, y: 1 }],
            caption: evil,
          },
        ],
        tables: [{ id: evil, title: evil, columns: [evil], rows: [[evil]] }],
        runs: [
          {
            label: evil,
            status: evil,
            steps: 1,
            finalLoss: 1,
            evaluation: null,
            verdict: evil,
            record: 'javascript:alert(1)"><b>x</b>',
            error: evil,
          },
        ],
        error: evil,
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/href="javascript:/);
    expect(html).toContain('href="./javascript%3Aalert(1)%22%3E%3Cb%3Ex%3C/b%3E/report.html"');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('formats numbers in tables: integers in full, others to four significant digits', () => {
    expect(cellText(123456)).toBe('123456');
    expect(cellText(0.000123456)).toBe('1.235e-4');
    expect(cellText(12.3456)).toBe('12.35');
    expect(cellText(null)).toBe('-');
    expect(cellText(Number.NaN)).toBe('NaN');
  });
});

describe('renderVerifySummary', () => {
  it('one row per study with its result, checks passed, time and link; the tally on top', () => {
    const a = verification({
      name: 'rosenbrock',
      pass: true,
      checks: [verification().checks[0] as never],
    });
    const b = verification();
    const html = renderVerifySummary([a, b], {
      backend: 'wasm',
      seconds: 30,
      notRun: ['edge-of-chaos'],
    });
    expectSelfContained(html);
    expect(html).toContain('1 of 3 studies passed; 2 of 3 checks');
    expect(html).toContain('<dt>backend</dt><dd>wasm</dd>');
    expect(html).toContain('<dd>30.0 s</dd>');
    const rows = [
      ...html.matchAll(
        /<tr><td>(?:<a href="([^"]+)">)?([^<]+)(?:<\/a>)?<\/td><td>[^<]*<\/td><td[^>]*>([^<]+)<\/td><td[^>]*>([^<]*)<\/td>/g,
      ),
    ];
    expect(rows.map((r) => r.slice(1, 5))).toEqual([
      ['./rosenbrock/report.html', 'rosenbrock', 'PASS', '1/1'],
      ['./deep-linear/report.html', 'deep-linear', 'FAIL', '1/2'],
      [undefined, 'edge-of-chaos', 'not run', ''],
    ]);
  });

  it('escapes names and links, and takes the link from hrefOf', () => {
    const html = renderVerifySummary([verification({ name: '<i>x</i>' })], {
      hrefOf: (v) => `studies/${v.name}.html`,
    });
    expect(html).not.toContain('<i>');
    expect(html).toContain('href="studies/&lt;i&gt;x&lt;/i&gt;.html"');
  });
});
