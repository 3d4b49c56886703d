import { type ExperimentSpec, type Initializer, initializerKinds } from '@gradlab/core';
import { at, type Draft, type FieldOption, type SpecField, show, toNumber } from './field.js';

/** The one parameter of the initialisers that take one. */
const SCALE = { normal: 'std', uniform: 'limit', constant: 'value' } as const;
type ScaledKind = keyof typeof SCALE;
const DEFAULT_SCALE: Record<ScaledKind, number> = { normal: 0.05, uniform: 0.05, constant: 0 };

/** A list of initialisers (one per layer) is shown as this option, edited in the JSON. */
export const PER_LAYER = 'per-layer';

const perLayerOption: FieldOption = { value: PER_LAYER, label: 'one per layer (see the JSON)' };

function kindOf(init: Initializer | readonly Initializer[] | undefined): string {
  if (init === undefined) return '';
  if (Array.isArray(init)) return PER_LAYER;
  return typeof init === 'string' ? init : (init as { kind: string }).kind;
}

function scaleOf(init: unknown): number | undefined {
  if (typeof init !== 'object' || init === null || Array.isArray(init)) return undefined;
  const o = init as Record<string, unknown>;
  const key = SCALE[o.kind as ScaledKind];
  return key ? (o[key] as number) : undefined;
}

/**
 * Two controls for an initialiser at `path` (model.init, model.recurrentInit): its kind, and
 * the scale of normal (std), uniform (limit) and constant (value) initialisers.
 */
export function initFields(
  key: 'init' | 'recurrentInit',
  label: string,
  applies: (s: ExperimentSpec) => boolean,
): SpecField[] {
  const read = (s: ExperimentSpec) =>
    (s.model as Record<string, unknown>)[key] as Initializer | Initializer[];
  return [
    {
      id: `model.${key}`,
      label,
      section: 'model',
      input: 'select',
      options: (s) => [
        ...initializerKinds.map((k) => ({ value: k, label: k })),
        ...(Array.isArray(read(s)) ? [perLayerOption] : []),
      ],
      applies,
      get: (s) => kindOf(read(s)),
      set: (d: Draft, v: string) => {
        if (v === PER_LAYER) return;
        const model = at(d, 'model');
        const scaled = SCALE[v as ScaledKind];
        model[key] = scaled
          ? { kind: v, [scaled]: scaleOf(model[key]) ?? DEFAULT_SCALE[v as ScaledKind] }
          : v;
      },
    },
    {
      id: `model.${key}Scale`,
      label: `${label}: std, limit or value`,
      section: 'model',
      input: 'number',
      step: 'any',
      applies: (s) => applies(s) && scaleOf(read(s)) !== undefined,
      get: (s) => show(scaleOf(read(s))),
      set: (d: Draft, v: string) => {
        const init = at(d, 'model')[key] as Record<string, unknown>;
        const scaled = SCALE[init.kind as ScaledKind];
        init[scaled] = toNumber(label, v);
      },
    },
  ];
}
