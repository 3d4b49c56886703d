import type { ExperimentSpecInput } from '@gradlab/core';

/** A named experiment with the claim it demonstrates, so a run can be read against it. */
export interface Preset {
  readonly name: string;
  readonly title: string;
  /** What the run should show, and where the claim comes from. */
  readonly claim: string;
  readonly spec: ExperimentSpecInput;
}
