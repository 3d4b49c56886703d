import { readFile } from 'node:fs/promises';
import { type ExperimentSpec, GradlabError, parseSpec, parseSpecJson } from '@gradlab/core';
import { findPreset, presetSpec } from '@gradlab/experiments';

/** `target` is a preset name or the path of a spec file (anything ending in .json is a path). */
export async function loadSpec(target: string): Promise<ExperimentSpec> {
  if (!target.endsWith('.json') && findPreset(target)) return presetSpec(target);
  if (!target.endsWith('.json') && !target.includes('/')) return presetSpec(target); // UNKNOWN_PRESET
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch (e) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `cannot read spec file ${target} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Pass an existing .json file or a preset name (\`gradlab presets\` lists them).`,
    );
  }
  return parseSpecJson(text, target);
}

export interface SpecOverrides {
  readonly steps?: number;
  readonly seed?: number;
  readonly every?: number;
}

/** Applies command-line overrides and validates the result like any spec. */
export function applyOverrides(
  spec: ExperimentSpec,
  o: SpecOverrides,
  source: string,
): ExperimentSpec {
  return parseSpec(
    {
      ...spec,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      training: { ...spec.training, ...(o.steps !== undefined ? { steps: o.steps } : {}) },
      diagnostics: { ...spec.diagnostics, ...(o.every !== undefined ? { every: o.every } : {}) },
    },
    `${source} with the command-line options`,
  );
}
