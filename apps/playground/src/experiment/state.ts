import type { ExperimentSpec } from '@gradlab/core';
import { presetSpec } from '@gradlab/experiments';
import { applyMitigations } from '@gradlab/mitigations';

/** Everything that defines an experiment in the playground, and so everything a link shares. */
export interface ExperimentState {
  /** The experiment before mitigations: a preset's spec, or one built in the form. */
  readonly base: ExperimentSpec;
  /** The preset `base` came from, while it is unchanged. */
  readonly preset: string | null;
  /** Mitigation tokens ("relu", "clip-global-norm:1"), applied to `base` in this order. */
  readonly mitigations: readonly string[];
  readonly backend: string;
  /** A second backend to run the same experiment on, side by side, or null. */
  readonly compareWith: string | null;
}

/** The preset a first visit shows: small enough to finish in seconds on any backend. */
export const DEFAULT_PRESET = 'tiny';

export function defaultState(backend: string): ExperimentState {
  return {
    base: presetSpec(DEFAULT_PRESET),
    preset: DEFAULT_PRESET,
    mitigations: [],
    backend,
    compareWith: null,
  };
}

/** The spec that runs: the base with the mitigations applied (throws if one does not apply). */
export function effectiveSpec(
  state: Pick<ExperimentState, 'base' | 'mitigations'>,
): ExperimentSpec {
  return state.mitigations.length === 0
    ? state.base
    : applyMitigations(state.base, state.mitigations);
}

/** True when `spec` is exactly the preset's spec (so a link can name the preset instead). */
export function isPresetSpec(spec: ExperimentSpec, preset: string | null): boolean {
  if (!preset) return false;
  try {
    return JSON.stringify(presetSpec(preset)) === JSON.stringify(spec);
  } catch {
    return false;
  }
}
