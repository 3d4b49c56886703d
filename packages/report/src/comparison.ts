import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import {
  DIVERGENCE_TOLERANCE,
  type Divergence,
  describeDivergence,
  GradlabError,
  parseComparisonJson,
  type RunRecord,
} from '@gradlab/core';
import { readRunRecord, writeFileAtomic } from '@gradlab/core/node';
import {
  type BackendDiffLayer,
  backendDiffSpec,
  type ComparisonVariant,
  comparisonFlowSpec,
  comparisonLossSpec,
} from './charts/comparison.js';
import { pct, sci } from './data.js';
import { escapeHtml, figure, missingRecords, page } from './html.js';

/** A row of a mitigations comparison.json, as `gradlab compare --with` writes it. */
export interface ComparisonJsonRow {
  readonly variant: string;
  readonly record: string;
  readonly ratioFirstToLast?: { readonly start: number | null; readonly end: number | null };
  readonly verdict?: string;
  readonly worstVerdict?: string;
  readonly finalLoss?: number | null;
  readonly accuracy?: number | null;
  readonly seconds?: number;
  readonly status?: string;
}

export interface ComparisonJson {
  readonly kind?: string;
  readonly baseline?: string;
  readonly backend?: { readonly name?: string; readonly device?: string };
  readonly rows: readonly ComparisonJsonRow[];
}

/** A backend of a backend comparison.json, as `gradlab compare --backends` writes it. */
export interface BackendComparisonJsonBackend {
  readonly backend: string;
  readonly status: string;
  readonly reason?: string;
  readonly info?: { readonly name?: string; readonly device?: string };
  readonly record?: string;
  readonly verdict?: string | null;
  readonly msPerStep?: number | null;
  /**
   * Step-1 gradient agreement with the reference (same weights, same batch): the largest
   * relative difference of any layer's kernel or bias gradient norm; null for the reference.
   */
  readonly step1?: {
    readonly maxRelDiff: number | null;
    readonly worstLayer?: string | null;
    readonly loss?: number | null;
  } | null;
  /** Training-trajectory drift from the reference over the run; null for the reference. */
  readonly drift?: {
    readonly steps: number;
    readonly tolerance: number;
    readonly lossMaxRelDiff: number | null;
    readonly gradNormMaxRelDiff: number | null;
    readonly firstDivergence: Divergence | 'never';
  } | null;
  /** Written by earlier versions instead of `drift`: the loss's largest relative difference. */
  readonly lossMaxRelDiff?: number | null;
}

export interface BackendComparisonJson {
  readonly kind: 'backend-comparison';
  readonly spec?: string;
  readonly reference?: string | null;
  /** The relative difference beyond which the runs count as diverged. */
  readonly tolerance?: number;
  readonly backends: readonly BackendComparisonJsonBackend[];
  readonly layers: readonly (BackendDiffLayer & {
    readonly finalGradNorm?: Readonly<Record<string, number | null>>;
    readonly step1GradNorm?: Readonly<Record<string, number | null>>;
  })[];
}

/** The record directory of a row: as written, else relative to the comparison's directory. */
async function readVariantRecord(
  dir: string,
  row: { readonly record: string },
): Promise<RunRecord> {
  const candidates = isAbsolute(row.record)
    ? [row.record, join(dir, basename(row.record))]
    : [join(dir, row.record), join(dir, basename(row.record))];
  let error: unknown;
  for (const c of candidates) {
    try {
      return await readRunRecord(c);
    } catch (e) {
      error = e;
    }
  }
  throw error;
}

function rowsTable(rows: readonly ComparisonJsonRow[]): string {
  const head = [
    'variant',
    'first/last layer, step 1',
    'at the end',
    'verdict',
    'worst verdict',
    'final loss',
    'accuracy',
    'time',
    'status',
  ];
  const body = rows.map((r) =>
    [
      `<td>${escapeHtml(r.variant)}</td>`,
      `<td class="num">${escapeHtml(sci(r.ratioFirstToLast?.start))}</td>`,
      `<td class="num">${escapeHtml(sci(r.ratioFirstToLast?.end))}</td>`,
      `<td class="verdict-${escapeHtml(r.verdict ?? '')}">${escapeHtml(r.verdict ?? '-')}</td>`,
      `<td class="verdict-${escapeHtml(r.worstVerdict ?? '')}">${escapeHtml(r.worstVerdict ?? '-')}</td>`,
      `<td class="num">${escapeHtml(sci(r.finalLoss, 4))}</td>`,
      `<td class="num">${pct(r.accuracy)}</td>`,
      `<td class="num">${typeof r.seconds === 'number' ? `${r.seconds.toFixed(1)} s` : '-'}</td>`,
      `<td>${escapeHtml(r.status ?? '-')}</td>`,
    ].join(''),
  );
  return `<table class="layers"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r}</tr>`).join('\n')}</tbody></table>`;
}

/** The first step beyond the tolerance: a step number, 'never', or '-' when not measured. */
const divergedAt = (b: BackendComparisonJsonBackend): string => {
  const d = b.drift?.firstDivergence;
  return d === undefined ? '-' : d === 'never' ? 'never' : String(d.step);
};

function backendsTable(
  backends: readonly BackendComparisonJsonBackend[],
  reference: string | null | undefined,
  tolerance: number,
): string {
  const head = [
    'backend',
    'device',
    'ms/step',
    'step-1 grad: max rel. diff',
    'loss drift: max rel. diff',
    'grad-norm drift: max rel. diff',
    `first step beyond ${sci(tolerance)}`,
    'verdict',
  ];
  const body = backends.map((b) => {
    if (b.status !== 'ran') {
      return `<td>${escapeHtml(b.backend)}</td><td colspan="${head.length - 1}" class="error">unavailable: ${escapeHtml(b.reason ?? b.status)}</td>`;
    }
    const ref = b.backend === reference;
    const cell = (x: string) => `<td class="num">${ref ? 'reference' : escapeHtml(x)}</td>`;
    return [
      `<td>${escapeHtml(b.backend)}</td>`,
      `<td>${escapeHtml(b.info?.device ?? '-')}</td>`,
      `<td class="num">${typeof b.msPerStep === 'number' ? escapeHtml(b.msPerStep.toFixed(1)) : '-'}</td>`,
      cell(sci(b.step1?.maxRelDiff)),
      cell(sci(b.drift ? b.drift.lossMaxRelDiff : b.lossMaxRelDiff)),
      cell(sci(b.drift?.gradNormMaxRelDiff)),
      `<td class="num">${ref ? '-' : escapeHtml(divergedAt(b))}</td>`,
      `<td class="verdict-${escapeHtml(b.verdict ?? '')}">${escapeHtml(b.verdict ?? '-')}</td>`,
    ].join('');
  });
  return `<table class="layers"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r}</tr>`).join('\n')}</tbody></table>`;
}

/** Each backend's two figures in words, saying what each one measures. */
function headlines(backends: readonly BackendComparisonJsonBackend[], reference: string): string {
  return backends
    .filter((b) => b.status === 'ran' && b.backend !== reference && (b.step1 || b.drift))
    .map((b) => {
      const step1 = b.step1
        ? `<li data-figure="step1">step-1 gradient agreement (same weights, same batch), max relative difference: <strong>${escapeHtml(sci(b.step1.maxRelDiff))}</strong>${b.step1.worstLayer ? ` (${escapeHtml(b.step1.worstLayer)})` : ''}</li>`
        : '';
      const drift = b.drift
        ? `<li data-figure="drift">training-trajectory drift over ${b.drift.steps} steps: loss max relative difference <strong>${escapeHtml(sci(b.drift.lossMaxRelDiff))}</strong>, gradient norms ${escapeHtml(sci(b.drift.gradNormMaxRelDiff))}; ${escapeHtml(describeDivergence(b.drift))}</li>`
        : '';
      return `<p>${escapeHtml(b.backend)} against ${escapeHtml(reference)}:</p>\n<ul class="figures" data-backend="${escapeHtml(b.backend)}">${step1}${drift}</ul>`;
    })
    .join('\n');
}

/**
 * A self-contained comparison.html for the directory of `gradlab compare --backends`: the table
 * of backends (device, ms/step, the loss's largest relative difference from the reference,
 * verdict, or why a backend was unavailable), a bar chart of each layer's largest relative
 * difference from the reference per backend (log scale), and every backend's gradient-flow
 * profile overlaid (read from its run record). No scripts, no network; every string is escaped.
 */
export async function renderBackendComparisonReport(dir: string): Promise<string> {
  return renderComparisonReport(dir);
}

/**
 * A comparison directory's comparison.json, checked (version, kind, the fields the page draws)
 * before anything is drawn: RECORD_INCOMPLETE where there is none, INVALID_RECORD naming the
 * file and the problem where it is damaged, truncated or from a newer gradlab.
 */
export async function readComparisonJson(
  dir: string,
): Promise<ComparisonJson | BackendComparisonJson> {
  const path = join(dir, 'comparison.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new GradlabError(
      'RECORD_INCOMPLETE',
      `${dir} has no comparison.json: it is not the directory of a gradlab comparison.`,
    );
  }
  return parseComparisonJson(text, path) as ComparisonJson | BackendComparisonJson;
}

async function backendComparisonPage(dir: string, c: BackendComparisonJson): Promise<string> {
  const backends = Array.isArray(c.backends) ? c.backends : [];
  const layers = Array.isArray(c.layers) ? c.layers : [];
  const ran = backends.filter((b) => b.status === 'ran');
  const variants: ComparisonVariant[] = [];
  const missing: string[] = [];
  for (const b of ran) {
    if (!b.record) continue;
    try {
      variants.push({
        variant: b.backend,
        record: await readVariantRecord(dir, { record: b.record }),
      });
    } catch (e) {
      missing.push(`${b.backend}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const others = ran.map((b) => b.backend).filter((n) => n !== c.reference);
  const tolerance = c.tolerance ?? DIVERGENCE_TOLERANCE;
  const steps = ran.find((b) => b.drift)?.drift?.steps;
  const diffSpec = backendDiffSpec(layers, others, {
    ...(steps ? { steps } : {}),
    ...(c.tolerance ? { tolerance } : {}),
  });
  const [diff, flow] = await Promise.all([
    figure('Relative difference from the reference, by layer', diffSpec),
    figure('Gradient flow by backend', comparisonFlowSpec(variants, 'backend')),
  ]);
  const title = `gradlab backend comparison: ${c.spec ?? basename(dir)}`;
  const noDiff =
    !diffSpec && others.length > 0
      ? `<p>Every layer's gradient norm is identical to ${escapeHtml(c.reference ?? 'the reference')}'s on every backend: no difference to draw.</p>`
      : '';
  const notes = missingRecords(missing);
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p>Same spec, seed and initial weights on each backend; reference: ${escapeHtml(c.reference ?? 'none')}.</p>
<h2>Backends</h2>
${headlines(backends, c.reference ?? 'the reference')}
${backendsTable(backends, c.reference, tolerance)}
<p>Two different figures. <strong>Step-1 gradient agreement</strong>: at step 1 every backend
holds the same initial weights and the same batch, so the relative difference |x - reference's| /
|reference's| of each layer's kernel and bias gradient norms is the backends' arithmetic alone:
the correctness figure. <strong>Drift</strong>: from step 2 on each run trains on its own
weights, and training amplifies the step-1 differences (chaotically at a large learning rate):
the largest relative difference of the loss and of the gradient norms over all steps, and the
first step at which the loss or any layer's gradient norm differed by more than
${escapeHtml(sci(tolerance))}, measure the training dynamics as much as the backends.</p>
${notes}
<h2>Charts</h2>
${diff}
${noDiff}
${flow}`,
  );
}

/**
 * A self-contained comparison.html for the directory of `gradlab compare --with`: the table of
 * comparison.json's rows, and every variant's gradient-flow profile and loss curve overlaid
 * (read from each variant's run record). A variant whose record cannot be read is named in a
 * note and left out of the charts. No scripts, no network; every string is escaped.
 */
export async function renderComparisonReport(dir: string): Promise<string> {
  const json = await readComparisonJson(dir);
  if (json.kind === 'backend-comparison')
    return backendComparisonPage(dir, json as BackendComparisonJson);
  const comparison = json as ComparisonJson;
  const rows = Array.isArray(comparison.rows) ? comparison.rows : [];
  const variants: ComparisonVariant[] = [];
  const missing: string[] = [];
  for (const row of rows) {
    try {
      variants.push({ variant: row.variant, record: await readVariantRecord(dir, row) });
    } catch (e) {
      missing.push(`${row.variant}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const [flow, loss] = await Promise.all([
    figure('Gradient flow by variant', comparisonFlowSpec(variants)),
    figure('Loss by variant', comparisonLossSpec(variants)),
  ]);
  const title = `gradlab comparison: ${comparison.baseline ?? basename(dir)}`;
  const backend = comparison.backend
    ? `<p>On ${escapeHtml(comparison.backend.name ?? '?')}${comparison.backend.device ? ` (${escapeHtml(comparison.backend.device)})` : ''}, same seed and data for every variant.</p>`
    : '';
  const notes = missingRecords(missing);
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
${backend}
<h2>Variants</h2>
${rowsTable(rows)}
<p>first/last layer: the first layer's gradient norm over the last layer's. Final loss and accuracy: the trained network in inference mode.</p>
${notes}
<h2>Charts</h2>
${flow}
${loss}`,
  );
}

/**
 * Writes comparison.html into the comparison's directory; returns its path. Dispatches on
 * comparison.json's kind: a backend comparison ('backend-comparison') or mitigations.
 */
export async function writeComparisonReport(dir: string): Promise<string> {
  const path = join(dir, 'comparison.html');
  await writeFileAtomic(path, await renderComparisonReport(dir));
  return path;
}

/** Writes the comparison.html of a backend comparison's directory; returns its path. */
export async function writeBackendComparisonReport(dir: string): Promise<string> {
  const path = join(dir, 'comparison.html');
  await writeFileAtomic(path, await renderBackendComparisonReport(dir));
  return path;
}
