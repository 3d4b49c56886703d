import { PHASE_TANH_GRIDS } from '@gradlab/experiments';
import { phaseSweep } from './phase-sweep.js';
import type { SweepSpecInput } from './schema.js';

/** A sweep shipped with gradlab, run by name: `gradlab sweep depth-x-init`. */
export interface NamedSweep {
  readonly name: string;
  readonly title: string;
  readonly sweep: SweepSpecInput;
  /**
   * A smaller sweep of the same question, run by `gradlab sweep <name> --fast`: its own name
   * (so its own directory), fewer cells or steps.
   */
  readonly fast?: { readonly title: string; readonly sweep: SweepSpecInput };
}

const PHASE_TANH =
  "The tanh phase diagram of Schoenholz et al. (2017, Fig. 5): plain tanh MLPs on MNIST at sb2 = 0.05, sw2 across the order-to-chaos transition x depth, trained with SGD. Networks train to a depth of about 6 xi_c, which diverges on the critical line (sw2 = 1.761): colour by accuracy to see the trainable region peak there, by the gradient ratio to see the gradient vanish on the ordered side and explode on the chaotic one. The axis is LeCun's gain, sqrt(sw2).";

/** The mitigations the vanishing-gradient presets are compared with: one per kind of fix. */
const SIGMOID_FIXES = [
  'none',
  'relu+he-init',
  'selu+lecun-init',
  'batchnorm',
  'layernorm',
  'residual',
] as const;

export const sweeps: readonly NamedSweep[] = [
  {
    name: 'depth-x-init',
    title:
      'Depth x initialiser x BatchNorm on the tiny tanh MLP, two seeds: 16 cells of a second each',
    sweep: {
      gradlab: 1,
      name: 'depth-x-init',
      description:
        'How depth, the initialiser and BatchNorm shape the gradient of a small tanh network: a quick sweep to try the command with.',
      base: 'tiny',
      grid: { 'model.depth': [4, 8], 'model.init': ['xavier-normal', 'he-normal'] },
      mitigations: ['none', 'batchnorm'],
      seeds: [0, 1],
      backends: ['wasm'],
    },
  },
  {
    name: 'phase-tanh',
    title:
      'The tanh phase diagram (Schoenholz et al. 2017): 10 sw2 x 10 depths to 200, 2000 SGD steps; 100 cells, about 3 core-hours (1.5 hours on 2 cores): for many workers (--queue)',
    sweep: phaseSweep(PHASE_TANH_GRIDS.full, { name: 'phase-tanh', description: PHASE_TANH }),
    fast: {
      title:
        'The tanh phase diagram at laptop scale: 6 sw2 x 6 depths to 100, 1000 SGD steps; 36 cells, 5 to 10 minutes on 2 cores with blas',
      sweep: phaseSweep(PHASE_TANH_GRIDS.fast, {
        name: 'phase-tanh-fast',
        description: `${PHASE_TANH} This is its fast scale, the grid \`gradlab verify phase-diagram\` judges.`,
      }),
    },
  },
  {
    name: 'mitigations-x-depth',
    title:
      'Six mitigations x 4 depths on the deep sigmoid MLP, three seeds: 72 cells, 3 to 7 minutes on 2 cores',
    sweep: {
      gradlab: 1,
      name: 'mitigations-x-depth',
      description:
        'Which fix keeps the gradient of a sigmoid MLP alive as it gets deeper (Glorot & Bengio 2010): the deep-sigmoid preset at 5 to 40 layers, as it is and with ReLU + He init, SELU + LeCun init, BatchNorm, LayerNorm and residual connections, over three seeds.',
      base: 'deep-sigmoid',
      grid: { 'model.depth': [5, 10, 20, 40] },
      mitigations: [...SIGMOID_FIXES],
      seeds: [0, 1, 2],
      backends: ['auto'],
    },
  },
];

export function findSweep(name: string): NamedSweep | undefined {
  return sweeps.find((s) => s.name === name);
}

/** The names `gradlab sweep <name> --fast` takes. */
export const fastSweepNames = (): string[] =>
  sweeps.filter((s) => s.fast !== undefined).map((s) => s.name);
