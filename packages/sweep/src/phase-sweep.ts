import { type PhaseGrid, phaseCellSpec, phaseSw2Values } from '@gradlab/experiments';
import type { SweepSpecInput } from './schema.js';

/** The spec path a phase sweep varies sigma_w along: LeCun's gain, sqrt(sw2). */
export const GAIN_AXIS = 'model.init.gain';
export const DEPTH_AXIS = 'model.depth';

/** "1 (gain 1), 1.5 (gain 1.225), ...": how sw2 maps onto the gains a phase sweep shows. */
export function sw2Legend(grid: PhaseGrid): string {
  return phaseSw2Values(grid)
    .map((sw2, i) => {
      const named = grid.sw2[i] === 'critical' ? ' critical' : '';
      return `${Number(sw2.toFixed(3))}${named} (gain ${Number(Math.sqrt(sw2).toFixed(3))})`;
    })
    .join(', ');
}

/**
 * A depth x sigma_w sweep of the tanh phase diagram. Weights are LeCun normal with gain
 * sqrt(sw2), so W ~ N(0, sw2 / fan-in) as mean-field theory has it; the spec has no sw2 field,
 * so the gain is the axis (sweep.json and the report show gains; the description maps them).
 */
export function phaseSweep(
  grid: PhaseGrid,
  o: { readonly name: string; readonly description: string },
): SweepSpecInput {
  const sw2 = phaseSw2Values(grid);
  return {
    gradlab: 1,
    name: o.name,
    description: `${o.description} sw2 (gain): ${sw2Legend(grid)}.`,
    base: phaseCellSpec(grid, {
      name: 'phase-tanh',
      sw2: sw2[0] as number,
      depth: grid.depths[0] as number,
    }),
    grid: { [GAIN_AXIS]: sw2.map(Math.sqrt), [DEPTH_AXIS]: [...grid.depths] },
    // The best backend where the cell runs: blas when it is built, else wasm.
    backends: ['auto'],
  };
}
