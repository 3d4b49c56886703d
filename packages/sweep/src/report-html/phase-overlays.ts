import {
  type BiasInitializer,
  type ExperimentSpec,
  type ExperimentSpecInput,
  formatNumber,
  parseSpec,
} from '@gradlab/core';
import { findPreset } from '@gradlab/experiments';
import { criticalSw2, meanField } from '@gradlab/theory';
import { DEPTH_AXIS, GAIN_AXIS } from '../phase-sweep.js';
import type { SweepFile } from '../sweep-file.js';
import type { SweepOverlay } from './overlay.js';

/** Points of the 6 xi_c curve across the swept gains: smooth at any heatmap's resolution. */
export const DEPTH_CURVE_SAMPLES = 200;

/** What mean-field theory needs of a sweep's network: tanh, W ~ N(0, sw2 / fan-in), b ~ N(0, sb2). */
interface MeanFieldNetwork {
  readonly sb2: number;
  readonly gains: readonly number[];
  readonly depths: readonly number[];
}

function baseSpec(file: SweepFile): ExperimentSpec | null {
  const { base } = file.sweep;
  if (typeof base !== 'string') return base;
  const preset = findPreset(base);
  return preset ? parseSpec(preset.spec as ExperimentSpecInput) : null;
}

/** sb2 of zero-mean normal biases (zeros: 0; absent, the default, is zeros); null otherwise. */
function biasVariance(bias: BiasInitializer | undefined): number | null {
  if (bias === undefined || bias === 'zeros' || bias.kind === 'zeros') return 0;
  return bias.kind === 'normal' ? bias.std ** 2 : null;
}

const numbers = (values: readonly unknown[]): number[] | null =>
  values.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)
    ? (values as number[])
    : null;

/**
 * The sweep as mean-field theory describes it, or null: a plain tanh MLP with LeCun-normal
 * weights (gain = sigma_w) and normal or zero biases, its gain and depth swept, nothing else
 * about the network changed (no mitigation, activation or init kind in the grid or variants).
 * Only the grid is read: every cell of such a sweep shares the base's sb2.
 */
function meanFieldNetwork(file: SweepFile): MeanFieldNetwork | null {
  const { sweep } = file;
  const spec = baseSpec(file);
  if (spec?.model.kind !== 'mlp') return null;
  const m = spec.model;
  if (m.activation !== 'tanh' || m.norm !== 'none' || m.residual !== null) return null;
  if (Array.isArray(m.init) || typeof m.init !== 'object' || m.init.kind !== 'lecun-normal') {
    return null;
  }
  const sb2 = biasVariance(m.biasInit);
  if (sb2 === null) return null;
  const only = new Set([GAIN_AXIS, DEPTH_AXIS]);
  if (!Object.keys(sweep.grid).every((path) => only.has(path))) return null;
  if (sweep.variants.length > 0 || sweep.mitigations.some((x) => x !== 'none')) return null;
  const gains = numbers(sweep.grid[GAIN_AXIS] ?? []);
  const depths = numbers(sweep.grid[DEPTH_AXIS] ?? []);
  if (!gains || !depths) return null;
  return { sb2, gains, depths };
}

/**
 * Mean-field theory over a tanh phase sweep (`phase-tanh`): the critical line, where chi_1 = 1,
 * as a vertical line at its gain sqrt(sw2_c), and the trainable depth 6 xi_c(sw2) of Schoenholz
 * et al. (2017) across the swept gains, clipped to the deepest depth of the grid (it is infinite
 * on the line). [] for a sweep the theory does not describe.
 */
export function phaseOverlays(file: SweepFile): SweepOverlay[] {
  const net = meanFieldNetwork(file);
  if (!net) return [];
  const low = Math.min(...net.gains);
  const high = Math.max(...net.gains);
  const shallowest = Math.min(...net.depths);
  const deepest = Math.max(...net.depths);
  const overlays: SweepOverlay[] = [];
  const critical = Math.sqrt(criticalSw2('tanh', net.sb2));
  const onGrid = critical >= low && critical <= high;
  if (onGrid) {
    overlays.push({
      label: `critical sigma_w^2 = ${(critical ** 2).toFixed(3)} (chi_1 = 1)`,
      x: GAIN_AXIS,
      y: DEPTH_AXIS,
      points: [
        { x: critical, y: shallowest },
        { x: critical, y: deepest },
      ],
    });
  }
  if (high > low) {
    const gains = Array.from(
      { length: DEPTH_CURVE_SAMPLES + 1 },
      (_, i) => low + ((high - low) * i) / DEPTH_CURVE_SAMPLES,
    );
    // The peak itself, so that the curve reaches the top of the grid exactly at the line.
    if (onGrid) gains.push(critical);
    gains.sort((a, b) => a - b);
    overlays.push({
      label: `depth = 6 xi_c (mean-field, sigma_b^2 = ${formatNumber(net.sb2, { digits: 6 })})`,
      x: GAIN_AXIS,
      y: DEPTH_AXIS,
      points: gains.map((gain) => ({
        x: gain,
        y: Math.min(meanField('tanh', { sw2: gain ** 2, sb2: net.sb2 }).trainableDepth, deepest),
      })),
    });
  }
  return overlays;
}
