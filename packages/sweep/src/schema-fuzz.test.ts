import { presetSpec } from '@gradlab/experiments';
import { describe } from 'vitest';
// Shared with core's spec fuzz test: a test-only module, not in core's exports.
import { fuzzParserTests } from '../../core/src/spec/test-fuzz-parser.js';
import { parseSweep, parseSweepJson, SweepSpec } from './schema.js';

/** The docs' example (every field) and an inline base spec, to mutate. */
const valid = [
  {
    gradlab: 1,
    name: 'depth-x-init',
    description: 'the example of docs/sweeps.md',
    base: 'tiny',
    grid: { 'model.depth': [4, 8], 'model.init': ['xavier-normal', 'he-normal'] },
    mitigations: ['none', 'batchnorm'],
    seeds: [0, 1],
    backends: ['wasm'],
    variants: [{ 'model.depth': 16, 'model.init': 'orthogonal' }],
  },
  { gradlab: 1, name: 'inline', base: presetSpec('tiny'), grid: { 'training.steps': [2, 3] } },
].map((s) => JSON.parse(JSON.stringify(s)));

describe('the sweep parser, fuzzed (1,000 inputs each)', () => {
  fuzzParserTests({
    parse: parseSweep,
    parseJson: parseSweepJson,
    valid,
    fields: Object.keys(SweepSpec.shape),
    code: 'INVALID_SWEEP',
  });
});
