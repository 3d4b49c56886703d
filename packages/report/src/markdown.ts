import type { LayerDiagnostics, RunRecord } from '@gradlab/core';
import { normText, pct, sci } from './data.js';
import { markdownText } from './markdown-text.js';
import { slopePerLayer, verdictSummary } from './summary.js';

/** Everything quoted from the spec or record goes through this: it stays text, in one cell. */
const cell = markdownText;

function layerRow(l: LayerDiagnostics): string {
  const std = sci(l.activationStd);
  return `| ${[l.name, normText(l.gradNorm), sci(l.ratioToLast), sci(l.gradToWeight), sci(l.updateToWeight), std, pct(l.saturation), pct(l.deadFraction), l.verdict].map(cell).join(' | ')} |`;
}

/**
 * The run as Markdown, for a pull request, an issue or a lab notebook: the verdict in words,
 * the run's facts and the per-layer table of the last full step (charts stay in report.html).
 */
export function renderRunMarkdown(record: RunRecord): string {
  const { spec, manifest } = record;
  const r = manifest.result;
  const summary = verdictSummary(record);
  const slope = slopePerLayer(record);
  const lines = [
    `# ${cell(spec.name)}`,
    '',
    ...(spec.description ? [cell(spec.description), ''] : []),
    `**${cell(summary.headline)}**`,
    '',
    ...summary.problems.map((p) => `- ${cell(p)}`),
    ...(summary.problems.length ? [''] : []),
    ...(slope ? [slope.sentence, ''] : []),
    `Backend: ${cell(manifest.backend.name)} (${cell(manifest.backend.device)}). Steps: ${r.stepsCompleted} of ${spec.training.steps}, seed ${spec.seed}. Loss ${sci(r.loss.first)} → ${sci(r.loss.last)}.`,
    '',
  ];
  if (r.final) {
    lines.push(
      `## Per-layer gradients at step ${r.final.step}`,
      '',
      '| layer | grad norm | ratio to last | grad/weight | update/weight | act std | saturated | dead | verdict |',
      '|---|--:|--:|--:|--:|--:|--:|--:|---|',
      ...r.final.layers.map(layerRow),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
