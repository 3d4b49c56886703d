import type { ExperimentSpecInput } from '@gradlab/core';

/** A learning-rate schedule as a spec's training.schedule takes it (warm-up included). */
export type ScheduleSpecInput = NonNullable<
  NonNullable<ExperimentSpecInput['training']>['schedule']
>;

/** A schedule of the comparison, and the name its runs are recorded under. */
export interface DecaySchedule {
  readonly label: string;
  readonly schedule: ScheduleSpecInput;
}
