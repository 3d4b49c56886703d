import type { Phase } from '@gradlab/theory';
import { settingRules } from '../../study-kit/setting-rules.js';
import type { Sw2 } from '../../study-kit/tanh-grid.js';

/** One (sw2, sb2) point at which random networks are measured against chi_1. */
export interface ChiPoint {
  /** The phase the point samples; it names the point's check ("chi-ordered") and runs. */
  readonly name: Phase;
  readonly sw2: Sw2;
  /**
   * The sw2 the theory is evaluated at; by default the network's own. Another value is a wrong
   * prediction (a counterfactual), which the point's checks must reject.
   */
  readonly theorySw2?: Sw2;
}

export interface MeanFieldSettings {
  /** Bias variance of every network in the study: Schoenholz et al. (2017) use 0.05. */
  readonly sb2: number;

  // (a) chi_1: random networks measured at initialisation.
  readonly points: readonly ChiPoint[];
  /** Dense layers of each random network, the output layer included. */
  readonly chiDepth: number;
  readonly chiWidth: number;
  /** Inputs per measurement: ||dL/dh||^2 is summed over them. */
  readonly chiBatchSize: number;
  readonly chiOutputs: number;
  readonly seeds: readonly number[];
  /** Hidden layers skipped at the input side while the length q^l settles to q*. */
  readonly skipLayers: number;
  /**
   * Relative tolerance of measured chi against chi_1, and the band around 1 called critical (for
   * the measurement and the theory alike). Per scale: the mean over fewer, shorter seeds
   * scatters more.
   */
  readonly tolerance: number;

  // (b) The trainability grid: depth x sw2, tanh on MNIST.
  readonly gridSw2: readonly Sw2[];
  readonly gridDepths: readonly number[];
  readonly gridWidth: number;
  readonly gridSteps: number;
  readonly gridBatchSize: number;
  /** SGD's learning rate. */
  readonly gridLr: number;
  /** MNIST digits to train on (the first 1,024 also measure the accuracy). */
  readonly gridSamples: number;
  readonly gridSeed: number;
  /** Identity skips every this many layers (null: the plain network the theory describes). */
  readonly residualEvery: number | null;
  /** A cell has trained when its accuracy reaches this (chance: 10%). */
  readonly trainedAccuracy: number;
  /** A cell is judged inside the trainable region when depth <= insideBelow x 6 xi_c. */
  readonly insideBelow: number;
  /** ... and outside when depth >= outsideAbove x 6 xi_c. */
  readonly outsideAbove: number;
  /** The least fraction of judged cells on each side that must agree with the line. */
  readonly minAgreement: number;
}

const POINTS: readonly ChiPoint[] = [
  { name: 'ordered', sw2: 1 },
  { name: 'critical', sw2: 'critical' },
  { name: 'chaotic', sw2: 3 },
];

const full: MeanFieldSettings = {
  sb2: 0.05,
  points: POINTS,
  chiDepth: 30,
  chiWidth: 256,
  chiBatchSize: 64,
  chiOutputs: 10,
  seeds: [0, 1, 2, 3],
  skipLayers: 4,
  tolerance: 0.025,
  gridSw2: [0.6, 0.8, 1, 'critical', 3, 4],
  gridDepths: [4, 8, 16, 32],
  gridWidth: 64,
  gridSteps: 200,
  gridBatchSize: 64,
  gridLr: 0.05,
  gridSamples: 2000,
  gridSeed: 0,
  residualEvery: null,
  trainedAccuracy: 0.5,
  insideBelow: 0.5,
  outsideAbove: 2,
  minAgreement: 0.8,
};

const fast: MeanFieldSettings = {
  ...full,
  chiDepth: 20,
  seeds: [0, 1],
  tolerance: 0.035,
  gridSw2: [0.6, 'critical'],
  gridDepths: [4, 24],
  gridSteps: 150,
};

export const settings = { full, fast };

export const scaleNote =
  'chi_1: random networks of width 256, depth 30 (fast: 20) and 4 seeds (fast: 2), measured at initialisation on 64 inputs. chi_1 describes infinitely wide layers; at width 256 the error of the recursion is O(1/width) and the per-layer factor of one seed scatters by about 1.3% (standard deviation) over 24 layers, and by up to 1.4% over the fast 14 (measured on 10 seeds), so the mean over 4 seeds lands within 0.5% of chi_1 (fast, 2 seeds: within 1.1%). The tolerance is 2.5% (fast: 3.5%), about 3.5 standard deviations of the mean: it takes sw2 from 1.65 to 1.88 for critical (fast: 1.61 to 1.93), around the critical 1.76, and the three phases (chi_1 = 0.76, 1, 1.21) lie more than eight tolerances apart. The first 4 hidden layers are left out: the length settles to q* on the depth scale xi_q (under 2 layers here), which biases the factor by less than 0.3% after them. ' +
  'Trainability grid: Schoenholz et al. train wider networks, up to a few hundred layers deep, for many more steps; here width 64, depths 4 to 32 and 200 SGD steps (fast: sw2 0.6 and critical, depths 4 and 24, 150 steps). In so few steps the edge of the trainable region is a band around 6 xi_c, not a line, so only cells well clear of it are judged: depth <= 3 xi_c must train (accuracy >= 50%, chance 10%), depth >= 12 xi_c must not; cells in between are shown. At sb2 = 0.05 the chaotic side keeps 6 xi_c beyond these depths (54 and 42 layers at sw2 = 3 and 4), so there the grid tests that inside cells train; the ordered side (6 xi_c = 8.9, 13.8 and 21.8 at sw2 = 0.6, 0.8 and 1) tests both sides of the line. On the chaotic side, 200 SGD steps stop short of the line: the gradient grows by chi_1 per layer (1.34^31, about 9,000, at sw2 = 4 and depth 32), faster than correlations fade, so cells at 0.6 to 0.8 x 6 xi_c fail there; they lie in the unjudged band.';

/** The run that measures `point` at initialisation with one seed. */
export const chiLabel = (point: ChiPoint, seed: number) => `chi-${point.name}-seed${seed}`;

/** Grid cells' runs are labelled by this and the cell's key: "grid-sw2-0.6-depth4". */
export const GRID_LABEL = 'grid-';

export function checkSettings(s: MeanFieldSettings): void {
  const { fail } = settingRules('mean-field', s);
  if (!(s.sb2 >= 0 && Number.isFinite(s.sb2)))
    fail('sb2', s.sb2, 'it must be a finite number >= 0');
  if (s.points.length === 0) fail('points', s.points, 'at least one point is needed');
  if (s.seeds.length === 0) fail('seeds', s.seeds, 'at least one seed is needed');
  // Hidden layers are chiDepth - 1; the factor needs two of them above the skipped ones.
  if (!(Number.isInteger(s.skipLayers) && s.skipLayers >= 0 && s.chiDepth - 2 > s.skipLayers)) {
    fail(
      'skipLayers',
      s.skipLayers,
      `it must be an integer >= 0 below chiDepth - 2 = ${s.chiDepth - 2}, leaving two hidden layers to compare`,
    );
  }
  if (!(s.tolerance > 0 && s.tolerance < 1)) fail('tolerance', s.tolerance, 'it must be in (0, 1)');
  if (s.gridSw2.length === 0 || s.gridDepths.length === 0) {
    fail('gridSw2/gridDepths', [s.gridSw2, s.gridDepths], 'the grid needs at least one of each');
  }
}
