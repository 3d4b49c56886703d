import type { RunRecord } from '@gradlab/core';
import type { TopLevelSpec } from 'vega-lite';
import { everyKth, fullSteps, layerNames } from '../data.js';
import { stepAxis } from './step-axis.js';

export interface UnitHealthPoint {
  readonly layer: string;
  readonly step: number;
  readonly value: number;
}

const finite = (x: number | null | undefined): x is number =>
  typeof x === 'number' && Number.isFinite(x);

/**
 * Saturation and dead-unit fractions of each layer on the full-diagnostic steps that measured
 * them; long runs keep every k-th full step plus the first and last (at most about 1,000 steps).
 */
export function unitHealthPoints(record: RunRecord): {
  saturation: UnitHealthPoint[];
  dead: UnitHealthPoint[];
} {
  const saturation: UnitHealthPoint[] = [];
  const dead: UnitHealthPoint[] = [];
  for (const m of everyKth(fullSteps(record))) {
    for (const l of m.layers) {
      if (finite(l.saturation))
        saturation.push({ layer: l.name, step: m.step, value: l.saturation });
      if (finite(l.deadFraction)) dead.push({ layer: l.name, step: m.step, value: l.deadFraction });
    }
  }
  return { saturation, dead };
}

/**
 * The layer colours: a sequential scheme sampled once per layer in depth order, dark at the input
 * and light at the output. A categorical palette has 10 to 20 colours and repeats beyond them
 * (the 20-layer `reference` preset had two layers of each colour); a sequence by depth stays
 * readable at any depth, and neighbouring colours are neighbouring layers. The lightest end of
 * viridis is left out: yellow on white is hard to see.
 */
export const DEPTH_COLOURS: { name: 'viridis'; extent: number[] } = {
  name: 'viridis',
  extent: [0, 0.85],
};

/**
 * Unit health: the fraction of saturated activations (solid) and of dead units (dashed) of each
 * layer over the full-diagnostic steps, one colour per layer by depth. Only the layers and
 * measures with values are drawn; null when no layer has any.
 */
export function unitHealthSpec(record: RunRecord): TopLevelSpec | null {
  const { saturation, dead } = unitHealthPoints(record);
  if (saturation.length === 0 && dead.length === 0) return null;
  const present = new Set([...saturation, ...dead].map((p) => p.layer));
  const layers = layerNames(record).filter((n) => present.has(n));
  for (const n of present) if (!layers.includes(n)) layers.push(n);
  const encoding = (title: string) => ({
    x: stepAxis([...saturation, ...dead].map((p) => p.step)),
    y: {
      field: 'value',
      type: 'quantitative',
      title,
      scale: { domain: [0, 1] },
      axis: { format: '%' },
    },
    // Ordinal: the layers have an order (depth), which the colours follow.
    color: {
      field: 'layer',
      type: 'ordinal',
      sort: layers,
      title: 'layer',
      scale: { scheme: DEPTH_COLOURS },
    },
  });
  const measures = [
    ...(saturation.length > 0
      ? [
          {
            name: 'saturation_lines',
            data: { values: saturation },
            mark: { type: 'line' },
            encoding: encoding('fraction of units'),
          },
        ]
      : []),
    ...(dead.length > 0
      ? [
          {
            name: 'dead_lines',
            data: { values: dead },
            mark: { type: 'line', strokeDash: [5, 3] },
            encoding: encoding('fraction of units'),
          },
        ]
      : []),
  ];
  const which = [
    saturation.length > 0 ? 'saturated (solid)' : '',
    dead.length > 0 ? 'dead (dashed)' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Unit health per layer',
      subtitle: `fraction of units ${which}, on the full-diagnostic steps; colour: depth, dark at the input`,
    },
    width: 640,
    height: 220,
    layer: measures,
  } as TopLevelSpec;
}
