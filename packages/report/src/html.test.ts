import { describe, expect, it } from 'vitest';
import { escapeHtml, renderRunReport } from './html.js';
import { syntheticRecord, tinyRecord } from './test-support.js';

function expectSelfContained(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  expect(html).not.toMatch(/<link\b/i);
}

describe('renderRunReport', () => {
  it('is self-contained, with the verdict sentence, the layer table and every chart', async () => {
    const html = await renderRunReport(syntheticRecord({ layers: 5, steps: 10 }));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expectSelfContained(html);
    expect(html).toContain(
      'dense1 vanished from step 1: gradient norm 5e-5, 10^-4 of the last layer&#39;s',
    );
    expect(html).toContain(
      'Verdict: vanishing at the last full step (step 10), from: weight gradient of dense1 5.0e-5.',
    );
    expect(html).toContain('Per-layer gradients at step 10');
    expect(html.match(/<tr>/g)).toHaveLength(1 + 5);
    expect(html.match(/<svg/g)).toHaveLength(3); // flow, heatmap, loss; no signal for an MLP
    expect(html).toContain('CPU (test)');
    expect(html).toContain('Test CPU');
  });

  it('adds the signal chart for a recurrent run', async () => {
    const html = await renderRunReport(syntheticRecord({ kind: 'rnn' }));
    expect(html.match(/<svg/g)).toHaveLength(4);
    expect(html).toContain('||dL/dh_t|| by time step');
  });

  it("shows an adding-problem run's MSE beside the predict-the-mean baseline", async () => {
    const record = syntheticRecord({ kind: 'rnn' });
    const result = record.manifest.result as { evaluation: unknown };
    result.evaluation = { loss: 0.012, accuracy: null, samples: 1024, baseline: 1 / 6 };
    expect(await renderRunReport(record)).toContain(
      'on 1024 examples (predict-the-mean baseline 0.167, 7.2% of it)',
    );
    // A record written before the baseline was recorded shows the loss alone.
    result.evaluation = { loss: 0.012, accuracy: null, samples: 1024 };
    const html = await renderRunReport(record);
    expect(html).toContain('on 1024 examples</dd>');
    expect(html).not.toContain('predict-the-mean');
  });

  it('escapes every string from the record', async () => {
    const record = syntheticRecord({ name: '<script>alert("x")</script>' });
    const evil = record as unknown as {
      spec: { description: string };
      manifest: { backend: { device: string } };
    };
    evil.spec.description = '<img src=x onerror=alert(1)>';
    evil.manifest.backend.device = '"><b>device</b>';
    const html = await renderRunReport(record);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>device');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('renders the record of a real tiny run', async () => {
    const record = await tinyRecord();
    const html = await renderRunReport(record);
    expectSelfContained(html);
    expect(html).toContain('<h1>tiny-test</h1>');
    for (const l of ['dense1', 'dense2', 'dense3', 'output']) expect(html).toContain(`>${l}<`);
    expect(html).toMatch(/Verdict: (healthy|vanishing|exploding|non-finite)/);
    // flow, heatmap, loss, and unit health (tanh measures saturation); constant lr, no clipping
    expect(html.match(/<svg/g)).toHaveLength(4);
    expect(html).toContain('Unit health per layer');
  });

  it('renders the reference size (60 steps x 20 layers): every layer in the table', async () => {
    const record = syntheticRecord({ layers: 20, steps: 60, every: 10 });
    await renderRunReport(record); // warm up module loading
    const t0 = performance.now();
    const html = await renderRunReport(record);
    // Speed is reported, not asserted (timing in a unit test only measures the machine's load).
    console.log(`report of 60 steps x 20 layers: ${(performance.now() - t0).toFixed(0)} ms`);
    for (let i = 1; i < 20; i++) expect(html).toContain(`>dense${i}<`);
    expect(html).toContain('>output<');
  });
});

describe('renderRunReport: optional charts', () => {
  it('adds unit health, clipping and learning-rate charts when the run has their data', async () => {
    const record = syntheticRecord({
      steps: 10,
      unitHealth: true,
      telemetry: (s) => ({
        'clip.preNorm': 10 * s,
        'clip.postNorm': 5,
        'clip.clipped': s > 1 ? 1 : 0,
        lr: 0.1 / s,
      }),
    });
    const html = await renderRunReport(record);
    expectSelfContained(html);
    expect(html.match(/<svg/g)).toHaveLength(3 + 3);
    expect(html).toContain('Unit health per layer');
    expect(html).toContain('Gradient clipping: 9 of 10 steps clipped (90.0%)');
    expect(html).toContain('<figcaption>Learning rate</figcaption>');
  });

  it('leaves them out when the run has none', async () => {
    const html = await renderRunReport(
      syntheticRecord({ steps: 10, telemetry: () => ({ lr: 0.01 }) }),
    );
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).not.toContain('Unit health');
    expect(html).not.toContain('Gradient clipping');
    expect(html).not.toContain('<figcaption>Learning rate</figcaption>');
  });
});

describe('large runs', () => {
  it('a 10,000-step x 50-layer record renders report.html quickly and under 3 MB', async () => {
    const record = syntheticRecord({
      layers: 50,
      steps: 10_000,
      every: 5,
      unitHealth: true,
      telemetry: (s) => ({
        lr: 0.1 * 0.9995 ** s,
        'clip.preNorm': 1 + (s % 7),
        'clip.postNorm': 1,
        'clip.clipped': s % 7 > 0 ? 1 : 0,
      }),
    });
    const t0 = performance.now();
    const html = await renderRunReport(record);
    const ms = performance.now() - t0;
    const bytes = Buffer.byteLength(html, 'utf8');
    console.log(
      `report.html of 10,000 steps x 50 layers: ${(ms / 1000).toFixed(2)} s, ${(bytes / 1e6).toFixed(2)} MB`,
    );
    expect(bytes).toBeLessThan(3_000_000);
    expect(html).toContain('10000 steps drawn as 200 columns');
  }, 60_000);
});
