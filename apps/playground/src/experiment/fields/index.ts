import { dataFields } from './data.js';
import type { SpecField } from './field.js';
import { modelFields } from './model.js';
import { runFields, trainingFields } from './training.js';

export { applyField, type FieldOption, type SpecField } from './field.js';
export { PER_LAYER } from './init.js';

/** Every control of the experiment form, in the order the form shows them. */
export const specFields: readonly SpecField[] = [
  ...dataFields,
  ...modelFields,
  ...trainingFields,
  ...runFields,
];
