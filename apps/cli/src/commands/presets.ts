import { type ExperimentSpec, GradlabError } from '@gradlab/core';
import {
  findPreset,
  listPresets,
  type Preset,
  presetSpec,
  type Study,
  studies,
  suggestName,
} from '@gradlab/experiments';
import Table from 'cli-table3';
import { colorEnabled, paint } from '../render/style.js';
import { fitLine, flexWidths, outputWidth } from '../render/width.js';

/** What `gradlab presets <study> --json` prints: everything about a study but its code. */
export function studyJson(s: Study) {
  return {
    name: s.name,
    title: s.title,
    reference: s.reference,
    claim: s.claim,
    scaleNote: s.scaleNote,
    usesBackend: s.usesBackend,
    checks: s.checks ?? [],
    settings: s.settings,
  };
}

/**
 * What `gradlab presets --json` prints: the whole catalogue, each part as its own list. Every
 * preset carries its runnable spec (as `gradlab presets <preset>` prints it); every study
 * carries what `gradlab presets <study> --json` prints.
 */
export interface PresetsJsonOutput {
  readonly presets: readonly (Omit<Preset, 'spec'> & { readonly spec: ExperimentSpec })[];
  readonly studies: readonly ReturnType<typeof studyJson>[];
}

function catalogueJson(): PresetsJsonOutput {
  return {
    presets: listPresets().map((p) => ({ ...p, spec: presetSpec(p.name) })),
    studies: studies.map(studyJson),
  };
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/** Settings one per line, "key: value" with the value as compact JSON (as the docs show them). */
function settingsLines(settings: unknown): string {
  if (typeof settings !== 'object' || settings === null) return `  ${JSON.stringify(settings)}`;
  return Object.entries(settings)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
    .join('\n');
}

/** One study in words: title, reference, claim, scale note, backend, checks, both settings. */
function describeStudy(s: Study, color: boolean, width: number | null): string {
  const field = (name: string, text: string) =>
    fitLine(`${paint(color, 'bold', name)} ${text}`, width);
  const lines = [
    fitLine(`${paint(color, 'bold', s.name)}: ${s.title}`, width),
    field('reference:', s.reference),
    field('claim:', s.claim),
    field('scale note:', s.scaleNote),
    field(
      'backend:',
      s.usesBackend
        ? 'trains or evaluates networks on the backend `--backend` selects'
        : 'none: host numerics only, the same on every backend',
    ),
  ];
  if (s.checks && s.checks.length > 0) {
    lines.push(paint(color, 'bold', 'checks:'));
    for (const c of s.checks) {
      lines.push(indent(fitLine(`${c.id}: ${c.claim}`, width === null ? null : width - 2), '  '));
    }
  }
  lines.push(
    paint(color, 'bold', 'settings (full, what `gradlab verify` runs):'),
    settingsLines(s.settings.full),
    paint(color, 'bold', 'settings (fast, with --fast):'),
    settingsLines(s.settings.fast),
    fitLine(
      `Verify it with \`gradlab verify ${s.name}\` (add --fast for the fast settings).`,
      width,
    ),
  );
  if (s.usesBackend) {
    lines.push(
      fitLine(
        'Each training run it makes is recorded with its spec.json: `gradlab run <that spec.json>` reruns one arm alone.',
        width,
      ),
    );
  }
  return lines.join('\n');
}

function catalogueTable(
  head: [string, string],
  rows: readonly [string, string][],
  color: boolean,
): string {
  const table = new Table({
    head,
    colWidths: flexWidths([20], 90, outputWidth()),
    wordWrap: true,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const r of rows) table.push([...r]);
  return table.toString();
}

/**
 * `gradlab presets [name]`: the catalogue (runnable presets, then the studies `gradlab verify`
 * checks), or one preset's full spec as JSON to copy and edit, or one study described.
 */
export async function presetsCommand(
  name: string | undefined,
  o: { json?: boolean },
): Promise<number> {
  const color = colorEnabled(process.stdout);
  const width = outputWidth();
  if (name) {
    if (findPreset(name)) {
      process.stdout.write(`${JSON.stringify(presetSpec(name), null, 2)}\n`);
      return 0;
    }
    const study = studies.find((s) => s.name === name);
    if (!study) {
      const known = [...listPresets().map((p) => p.name), ...studies.map((s) => s.name)];
      const suggestion = suggestName(name, known);
      throw new GradlabError(
        'UNKNOWN_PRESET',
        `there is no preset or study named "${name}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} Known presets: ${listPresets()
          .map((p) => p.name)
          .join(', ')}. Known studies: ${studies.map((s) => s.name).join(', ') || 'none'}.`,
      );
    }
    process.stdout.write(
      o.json
        ? `${JSON.stringify(studyJson(study), null, 2)}\n`
        : `${describeStudy(study, color, width)}\n`,
    );
    return 0;
  }
  const presets = listPresets();
  if (o.json) {
    process.stdout.write(`${JSON.stringify(catalogueJson(), null, 2)}\n`);
    return 0;
  }
  const parts = [
    catalogueTable(
      ['preset', 'what it shows'],
      presets.map((p) => [p.name, `${p.title}\n${p.claim}`]),
      color,
    ),
    fitLine(
      'Run one with `gradlab run <preset>`; print its spec with `gradlab presets <preset>`.',
      width,
    ),
  ];
  if (studies.length > 0) {
    parts.push(
      '',
      catalogueTable(
        ['study', 'the published claim it checks'],
        studies.map((s) => [s.name, `${s.title}\n${s.claim}`]),
        color,
      ),
      fitLine(
        'Check one with `gradlab verify <study>` (or all of them: `gradlab verify all`); describe it with `gradlab presets <study>`.',
        width,
      ),
    );
  }
  process.stdout.write(`${parts.join('\n')}\n`);
  return 0;
}
