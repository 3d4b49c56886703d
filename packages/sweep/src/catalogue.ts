import type { SweepSpecInput } from './schema.js';

/** A sweep shipped with gradlab, run by name: `gradlab sweep depth-x-init`. */
export interface NamedSweep {
  readonly name: string;
  readonly title: string;
  readonly sweep: SweepSpecInput;
}

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
];

export function findSweep(name: string): NamedSweep | undefined {
  return sweeps.find((s) => s.name === name);
}
