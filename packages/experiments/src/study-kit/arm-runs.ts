import type { ExperimentSpecInput } from '@gradlab/core';
import type { StudyRun, StudyRuns, TrainedRun } from '../study.js';

/**
 * One run of a study that compares arms (initialisations, activations, remedies) over seeds:
 * which arm, which seed, and the label of its record. A study lists its runs once, as these,
 * and derives from that one list both its plan (each label with its spec) and, once they have
 * trained, what its judge reads (each with its TrainedRun), so the two cannot drift apart.
 */
export interface ArmSeed<A extends string> {
  readonly arm: A;
  readonly seed: number;
  readonly label: string;
}

/** A planned run with its finished training run. */
export type Finished<C> = C & { readonly run: TrainedRun };

/** Every arm at every seed, seed by seed: the trained networks of a comparison. */
export function armsBySeed<A extends string>(
  arms: readonly A[],
  seeds: readonly number[],
  label: (arm: A, seed: number) => string,
): ArmSeed<A>[] {
  return seeds.flatMap((seed) => arms.map((arm) => ({ arm, seed, label: label(arm, seed) })));
}

/**
 * `count` random networks per arm, at seeds 0, 1, ..., arm by arm: drawn like the trained
 * networks and measured at initialisation (see drawSpec), where one network's measurement
 * scatters too much to judge a theory by and the mean over many does not.
 */
export function drawsByArm<A extends string>(
  arms: readonly A[],
  count: number,
  label: (arm: A, seed: number) => string,
): ArmSeed<A>[] {
  return arms.flatMap((arm) =>
    Array.from({ length: count }, (_, seed) => ({ arm, seed, label: label(arm, seed) })),
  );
}

/** The plan of these runs: each label with its spec, in their order. */
export function planOf<C extends { readonly label: string }>(
  runs: readonly C[],
  spec: (run: C) => ExperimentSpecInput,
): StudyRun[] {
  return runs.map((r) => ({ label: r.label, spec: spec(r) }));
}

/** These runs once trained: each with its TrainedRun, in their order. */
export function finished<C extends { readonly label: string }>(
  planned: readonly C[],
  runs: StudyRuns,
): Finished<C>[] {
  return planned.map((p) => ({ ...p, run: runs.get(p.label) }));
}

/** The runs of one arm, in their order (seed order for armsBySeed and drawsByArm). */
export function ofArm<C extends { readonly arm: string }>(runs: readonly C[], arm: C['arm']): C[] {
  return runs.filter((r) => r.arm === arm);
}

/** MNIST digits (or examples) a draw loads: one batch is measured, and loading is its main cost. */
const DRAW_SAMPLES = 256;

/**
 * A random network drawn like the one `spec` trains and measured at step 1, before its one
 * update: the network as initialised, with full diagnostics (activations, backward signal).
 */
export function drawSpec(spec: ExperimentSpecInput): ExperimentSpecInput {
  return {
    ...spec,
    data: { ...spec.data, samples: DRAW_SAMPLES },
    training: { ...spec.training, steps: 1 },
    diagnostics: { every: 1 },
  };
}

/**
 * The plan of a study that measures random networks at initialisation and trains others: the
 * draws first (one step each, drawn as `spec` would train them), then the trained nets.
 */
export function drawsThenTrained<C extends { readonly label: string }>(
  draws: readonly C[],
  trained: readonly C[],
  spec: (run: C) => ExperimentSpecInput,
): StudyRun[] {
  return [...planOf(draws, (d) => drawSpec(spec(d))), ...planOf(trained, spec)];
}
