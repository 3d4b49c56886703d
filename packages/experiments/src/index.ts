import { type ExperimentSpec, GradlabError, parseSpec } from '@gradlab/core';
import { presets } from './catalogue.js';
import type { Preset } from './preset.js';
import { suggestName } from './verify/find-study.js';

export type { Preset } from './preset.js';
export { presets };

export function listPresets(): readonly Preset[] {
  return presets;
}

export function findPreset(name: string): Preset | undefined {
  return presets.find((p) => p.name === name);
}

/** The validated spec of a preset; UNKNOWN_PRESET (listing the known ones) if there is none. */
export function presetSpec(name: string): ExperimentSpec {
  const preset = findPreset(name);
  if (!preset) {
    const guess = suggestName(
      name,
      presets.map((p) => p.name),
    );
    throw new GradlabError(
      'UNKNOWN_PRESET',
      `there is no preset named "${name}".${guess ? ` Did you mean "${guess}"?` : ''} Known presets: ${presets.map((p) => p.name).join(', ')}. Or pass the path of a spec .json file.`,
    );
  }
  return parseSpec(preset.spec, `preset "${name}"`);
}
export {
  checkPlan,
  declareChecks,
  defineStudy,
  judged,
  type StudyDefinition,
  studyRuns,
} from './define/define-study.js';
export { studies } from './studies/index.js';
export {
  PHASE_TANH_GRIDS,
  type PhaseGrid,
  phaseCellSpec,
  phaseSw2Values,
} from './studies/phase-diagram/phase-grid.js';
export * from './study.js';
export { createStudyContext, type StudyContextOptions } from './verify/context.js';
export { findStudy, studyNames, suggestName } from './verify/find-study.js';
export {
  type JudgeRecordedOptions,
  judgeRecordedStudy,
  plannedRuns,
  type RecordedRun,
} from './verify/judge-recorded.js';
export { trainedRunFromRecord } from './verify/recorded-run.js';
export {
  type RunStudyOptions,
  resolveSettings,
  runStudy,
  StudyCancelledError,
} from './verify/run-study.js';
export type {
  StudyRunSummary,
  StudyScale,
  StudyStatus,
  StudyVerification,
} from './verify/verification.js';
