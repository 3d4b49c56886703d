import { describe, expect, it } from 'vitest';
import { renderRunMarkdown } from './markdown.js';
import { slopePerLayer } from './summary.js';
import { syntheticRecord } from './test-support.js';

describe('renderRunMarkdown', () => {
  it('has the verdict, the first problem, the slope per layer and one table row per layer', () => {
    const md = renderRunMarkdown(syntheticRecord({ layers: 5 }));
    expect(md).toContain(
      '**Verdict: vanishing at the last full step (step 10), from: weight gradient of dense1 5.0e-5.**',
    );
    expect(md).toContain(
      "- dense1 vanished from step 1: gradient norm 5e-5, 10^-4 of the last layer's",
    );
    // dense1 is 10^-4 of the output, 4 layers apart: a factor of 0.1 per layer.
    expect(md).toContain(
      'changes by a factor of 0.1 per layer on average (10^-1.00), over 4 layers',
    );
    const rows = md.split('\n').filter((l) => /^\| (dense\d|output) \|/.test(l));
    expect(rows.map((r) => r.split('|')[1]?.trim())).toEqual([
      'dense1',
      'dense2',
      'dense3',
      'dense4',
      'output',
    ]);
  });

  it('keeps a pipe in a name from breaking the table', () => {
    const md = renderRunMarkdown(syntheticRecord({ name: 'a|b' }));
    expect(md.split('\n')[0]).toBe('# a\\|b');
  });
});

describe('slopePerLayer', () => {
  it('is null when the first layer has no positive finite ratio', () => {
    const record = syntheticRecord({ layers: 3 });
    const final = record.manifest.result.final;
    if (!final) throw new Error('no final step');
    (final.layers[0] as { ratioToLast: number }).ratioToLast = 0;
    expect(slopePerLayer(record)).toBeNull();
  });
});

describe('renderRunMarkdown on hostile names', () => {
  it('quotes the name, description and layer names as text: no raw HTML, no links', () => {
    const record = syntheticRecord({ name: '<script>alert(1)</script>' });
    const spec = record.spec as { description?: string };
    spec.description = '[click](javascript:alert(1)) <img src=x onerror=alert(1)>';
    const final = record.manifest.result.final;
    if (!final) throw new Error('no final step');
    (final.layers[0] as { name: string }).name = '<b>dense1</b>';
    const md = renderRunMarkdown(record);
    expect(md).not.toMatch(/<script|<img|<b>|[^\\]\]\(/);
    expect(md.split('\n')[0]).toBe('# &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('\\[click\\](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('| &lt;b&gt;dense1&lt;/b&gt; |');
  });
});
