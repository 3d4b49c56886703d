import { studies } from '../studies/index.js';
import type { Study } from '../study.js';

/**
 * The documentation of every study, generated from the catalogue: docs/studies/<name>.md and an
 * index, docs/studies/README.md. `pnpm --filter @gradlab/experiments run docs` writes them; a
 * test checks that the committed files equal what this renders, so a study added to the
 * catalogue fails the tests until its page is written.
 */

// biome-ignore lint/suspicious/noExplicitAny: each study has its own settings type
type AnyStudy = Study<any>;

export const STUDY_DOCS_HEADER =
  '<!-- Generated from packages/experiments/src by `pnpm --filter @gradlab/experiments run docs`: do not edit. -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (x: unknown) => `\`${cell(JSON.stringify(x) ?? 'undefined')}\``;

function backendLine(s: AnyStudy): string {
  return s.usesBackend
    ? 'It trains or evaluates networks on the backend `--backend` selects (wasm is the fastest on a CPU).'
    : 'It computes on the host only: the result is the same on every backend.';
}

function checksList(s: AnyStudy): string[] {
  if (!s.checks || s.checks.length === 0) {
    return [
      `\`gradlab verify ${s.name}\` prints each check the study reports, with what was measured and what was expected.`,
    ];
  }
  return s.checks.map((c) => `- \`${c.id}\`: ${c.claim}`);
}

/** Whether any declared check says what it measures, its tolerance or a counterfactual. */
function hasCounterfactuals(s: AnyStudy): boolean {
  return (s.checks ?? []).some(
    (c) => c.measures !== undefined || c.tolerance !== undefined || c.counterfactuals?.length,
  );
}

/**
 * "Checks and their counterfactuals": per check, what it measures, its tolerance, and each
 * change to the settings that makes it fail, with what it measured then.
 */
function counterfactualSection(s: AnyStudy): string[] {
  if (!hasCounterfactuals(s)) return [];
  const lines = [
    '## Checks and their counterfactuals',
    '',
    'Each check is run, in the tests, with its cause removed or perturbed, and must then fail.',
    '',
  ];
  for (const c of s.checks ?? []) {
    lines.push(`### \`${c.id}\``, '');
    if (c.measures !== undefined) lines.push(`**Measures:** ${c.measures}`, '');
    if (c.tolerance !== undefined) lines.push(`**Tolerance:** ${c.tolerance}`, '');
    const cfs = c.counterfactuals ?? [];
    if (cfs.length === 0) {
      lines.push('**Fails when:** no counterfactual is declared.', '');
      continue;
    }
    lines.push('**Fails when:**', '', ...cfs.map((f) => `- ${f.change}: ${f.measured}`), '');
  }
  return lines;
}

/** The index's line per check: its claim, and the changes that make it fail. */
function indexChecksList(s: AnyStudy): string[] {
  if (!s.checks || s.checks.length === 0) return checksList(s);
  return s.checks.map((c) => {
    const cfs = c.counterfactuals ?? [];
    if (cfs.length === 0) return `- \`${c.id}\`: ${c.claim}`;
    const sentence = /[.!?]$/.test(c.claim) ? c.claim : `${c.claim}.`;
    return `- \`${c.id}\`: ${sentence} Fails with ${cfs.map((f) => f.change).join('; or ')}.`;
  });
}

function settingsTable(s: AnyStudy): string[] {
  const full = (s.settings.full ?? {}) as Record<string, unknown>;
  const fast = (s.settings.fast ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(full), ...Object.keys(fast)])];
  if (keys.length === 0) return ['The study has no settings.'];
  return [
    '| setting | full | fast (`--fast`) |',
    '|---|---|---|',
    ...keys.map((k) => `| \`${k}\` | ${code(full[k])} | ${code(fast[k])} |`),
  ];
}

function renderOne(s: AnyStudy): string {
  return [
    STUDY_DOCS_HEADER,
    '',
    `# \`${s.name}\`: ${s.title}`,
    '',
    `**Reference:** ${s.reference}`,
    '',
    '## The claim',
    '',
    s.claim,
    '',
    `## What \`gradlab verify ${s.name}\` checks`,
    '',
    ...checksList(s),
    '',
    '## Scale',
    '',
    s.scaleNote,
    '',
    backendLine(s),
    '',
    ...settingsTable(s),
    '',
    ...counterfactualSection(s),
    '## Run it',
    '',
    '```sh',
    `gradlab verify ${s.name}          # the full settings`,
    `gradlab verify ${s.name} --fast   # the fast settings`,
    `gradlab presets ${s.name}         # this description, in the terminal`,
    '```',
    '',
    `It prints one line per check (PASS or FAIL, the claim, measured against expected) and writes \`runs/<time>-verify-${s.name}/\`: \`verify.json\`, \`report.html\` (the checks, figures and tables) and the record of each training run with its own \`report.html\` and \`spec.json\`, a plain gradlab spec: \`gradlab run <that spec.json>\` reruns one arm alone, and an edited copy tries a variant. The exit code is 0 when every check passed, 1 when one failed.`,
    '',
    '[All studies](README.md)',
    '',
  ].join('\n');
}

function renderIndex(all: readonly AnyStudy[]): string {
  const lines = [
    STUDY_DOCS_HEADER,
    '',
    '# Studies: published results about vanishing and exploding gradients, checked',
    '',
    'Each study reproduces one published result at laptop scale and checks it automatically: it',
    'measures (training runs, random networks, numerics) and compares what it measured with what',
    'the paper or the theory predicts, within a stated tolerance. Its settings are data, so the same',
    'study with a counterfactual setting (another initialisation, no clipping) fails: no check is a',
    'foregone conclusion.',
    '',
    '```sh',
    'gradlab verify all                 # every study, in this order, on the fastest backend',
    'gradlab verify <study> --fast      # one study with its fast settings (fewer steps or seeds)',
    'gradlab verify <study> --backend cpu --out my-dir --json',
    '```',
    '',
    '`gradlab verify` prints, per study, one line per check (PASS or FAIL, the claim, measured',
    'against expected) and the total time; it writes per study `verify.json`, `report.html` and the',
    'record of every training run, and for `all` an `index.html` and `verify.json` at the top. The',
    'exit code is 0 when every check passed, 1 when one failed, 2 for bad input, 130 when cancelled',
    "(what was written is kept, marked cancelled). A run's record holds its `spec.json`, a plain",
    'gradlab spec: `gradlab run <that spec.json>` reruns one arm of a study alone.',
    '',
  ];
  if (all.length === 0) {
    lines.push('The catalogue has no study yet.', '');
    return lines.join('\n');
  }
  lines.push('| study | the claim | reference |', '|---|---|---|');
  for (const s of all) {
    lines.push(`| [\`${s.name}\`](${s.name}.md) | ${cell(s.claim)} | ${cell(s.reference)} |`);
  }
  lines.push('');
  for (const s of all) {
    lines.push(
      `## [\`${s.name}\`](${s.name}.md): ${s.title}`,
      '',
      `**Claim:** ${s.claim}`,
      '',
      `**Reference:** ${s.reference}`,
      '',
      '**What verify checks:**',
      '',
      ...indexChecksList(s),
      '',
      `**Scale:** ${s.scaleNote} ${backendLine(s)}`,
      '',
      `**Run it:** \`gradlab verify ${s.name}\` (or \`--fast\`).`,
      '',
    );
  }
  return lines.join('\n');
}

/** File name (relative to docs/studies) to content, for every study and the index. */
export function renderStudyDocs(catalogue: readonly AnyStudy[] = studies): Map<string, string> {
  const files = new Map<string, string>([['README.md', renderIndex(catalogue)]]);
  for (const s of catalogue) files.set(`${s.name}.md`, renderOne(s));
  return files;
}
