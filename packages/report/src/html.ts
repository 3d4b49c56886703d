import type { LayerDiagnostics, RunRecord } from '@gradlab/core';
import { clippingSpec } from './charts/clipping.js';
import { gradientFlowSpec } from './charts/gradient-flow.js';
import { heatmapSpec } from './charts/heatmap.js';
import { learningRateSpec } from './charts/learning-rate.js';
import { lossSpec } from './charts/loss.js';
import { signalSpec } from './charts/signal.js';
import { unitHealthSpec } from './charts/unit-health.js';
import { normText, pct, sci } from './data.js';
import { slopePerLayer, verdictSummary } from './summary.js';
import { renderSvg, type TopLevelSpec } from './vega.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function layerTable(layers: readonly LayerDiagnostics[]): string {
  const head = [
    'layer',
    'grad norm',
    'ratio to last',
    'grad/weight',
    'update/weight',
    'act std',
    'saturated',
    'dead',
    'verdict',
  ];
  const rows = layers.map((l) =>
    [
      `<td>${escapeHtml(l.name)}</td>`,
      `<td class="num">${escapeHtml(normText(l.gradNorm))}</td>`,
      ...[l.ratioToLast, l.gradToWeight, l.updateToWeight, l.activationStd].map(
        (x) => `<td class="num">${escapeHtml(sci(x))}</td>`,
      ),
      `<td class="num">${pct(l.saturation)}</td>`,
      `<td class="num">${pct(l.deadFraction)}</td>`,
      `<td class="verdict-${escapeHtml(l.verdict)}">${escapeHtml(l.verdict)}</td>`,
    ].join(''),
  );
  return `<table class="layers"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('\n')}</tbody></table>`;
}

function definitionList(entries: readonly [string, unknown][]): string {
  return `<dl>${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** A chart as an inline SVG figure; '' for no chart; an error note when it cannot be drawn. */
export async function figure(title: string, spec: TopLevelSpec | null): Promise<string> {
  if (!spec) return '';
  try {
    // The SVG is vega's own output: every text in it was escaped by vega's renderer.
    const svg = await renderSvg(spec);
    return `<figure><figcaption>${escapeHtml(title)}</figcaption>${svg}</figure>`;
  } catch (e) {
    return `<figure><figcaption>${escapeHtml(title)}</figcaption><p class="error">This chart could not be drawn: ${escapeHtml(e instanceof Error ? e.message : e)}</p></figure>`;
  }
}

export const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
.verdict{font-size:1.1rem}.problems li{margin:.2rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
table.layers{border-collapse:collapse;font-size:.9rem}table.layers td,table.layers th{padding:.2rem .6rem;border-bottom:1px solid #eee}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict-vanishing{color:#1f5fbf}.verdict-exploding{color:#c0392b}.verdict-non-finite{color:#8e44ad;font-weight:600}.verdict-healthy{color:#2e7d32}
figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.4rem}svg{max-width:100%;height:auto}.error{color:#c0392b}
`;

/**
 * A self-contained report.html for a run record: no scripts, no network, no external fonts;
 * the charts are inline SVG and the CSS is inline. Every string from the record is escaped.
 */
/** A self-contained page: the shared stylesheet inline, no scripts, nothing fetched. */
export function page(title: string, body: string, css = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The records a comparison could not read, as a list of errors (empty when none). */
export function missingRecords(missing: readonly string[]): string {
  return missing.length > 0
    ? `<ul class="problems">${missing.map((m) => `<li class="error">No record for ${escapeHtml(m)}</li>`).join('')}</ul>`
    : '';
}

export async function renderRunReport(record: RunRecord): Promise<string> {
  const { spec, manifest } = record;
  const r = manifest.result;
  const summary = verdictSummary(record);
  const [flow, heat, loss, signal, health, clipping, lr] = await Promise.all([
    figure('Gradient flow', gradientFlowSpec(record)),
    figure('Gradient norm heatmap', heatmapSpec(record)),
    figure('Loss', lossSpec(record)),
    figure('Backpropagated signal over time', signalSpec(record)),
    figure('Unit health', unitHealthSpec(record)),
    figure('Gradient clipping', clippingSpec(record)),
    figure('Learning rate', learningRateSpec(record)),
  ]);
  const env = manifest.environment;
  const b = manifest.backend;
  // Beside an MSE, the generator's predict-the-mean MSE where it has one (the adding problem):
  // alone, an MSE does not say whether the network learned anything. Older records lack it.
  const baseline = r.evaluation?.baseline ?? null;
  const versus =
    r.evaluation && baseline !== null
      ? ` (predict-the-mean baseline ${sci(baseline)}${Number.isFinite(r.evaluation.loss) ? `, ${pct(r.evaluation.loss / baseline)} of it` : ''})`
      : '';
  const evaluation = r.evaluation
    ? `loss ${sci(r.evaluation.loss)}${r.evaluation.accuracy === null ? '' : `, accuracy ${pct(r.evaluation.accuracy)}`} on ${r.evaluation.samples} examples${versus}`
    : '-';
  const facts = definitionList([
    ['status', r.status],
    ['steps', `${r.stepsCompleted} of ${spec.training.steps}`],
    ['model', `${spec.model.kind}, ${r.final?.layers.length ?? '?'} layers`],
    ['data', spec.data.kind],
    ['seed', spec.seed],
    ['loss', `${sci(r.loss.first)} → ${sci(r.loss.last)}`],
    ['evaluation', evaluation],
    [
      'time',
      `${r.timings.medianStepMs?.toFixed(1) ?? '-'} ms/step (median), ${(r.timings.totalMs / 1000).toFixed(1)} s in all`,
    ],
    ['started', manifest.startedAt],
    ['finished', manifest.finishedAt],
    ...(r.error ? ([['error', r.error]] as [string, unknown][]) : []),
  ]);
  const environment = definitionList([
    ['backend', `${b.name} (tfjs ${b.tfjsBackend}) on ${b.device}`],
    ['float precision', `${b.floatPrecision}-bit (epsilon ${sci(b.epsilon)})`],
    ...Object.entries(b.versions ?? {}).map(([k, v]) => [k, v] as [string, unknown]),
    ['gradlab core', env.gradlabCore],
    ['node', env.node],
    ['platform', `${env.platform} ${env.arch}`],
    ['cpu', `${env.cpu} × ${env.cpus}`],
  ]);
  const table = r.final
    ? `<h2>Per-layer gradients at step ${r.final.step}</h2><p>Input side first; the last full-diagnostic step.</p>${layerTable(r.final.layers)}`
    : '<h2>Per-layer gradients</h2><p>The run stopped before any full-diagnostic step.</p>';
  const slope = slopePerLayer(record);
  const problems =
    (slope ? `<p>${escapeHtml(slope.sentence)}</p>` : '') +
    (summary.problems.length > 0
      ? `<ul class="problems">${summary.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`
      : '');
  return page(
    `gradlab: ${spec.name}`,
    `<h1>${escapeHtml(spec.name)}</h1>
${spec.description ? `<p>${escapeHtml(spec.description)}</p>` : ''}
<p class="verdict verdict-${escapeHtml(r.verdict)}">${escapeHtml(summary.headline)}</p>
${problems}
<h2>Run</h2>
${facts}
<h2>Environment</h2>
${environment}
${table}
<h2>Charts</h2>
${flow}
${heat}
${loss}
${signal}
${health}
${clipping}
${lr}`,
  );
}
