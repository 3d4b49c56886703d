import { describe } from 'vitest';
import { tinySpec } from '../test-support.js';
import { ExperimentSpec } from './schema.js';
import { fuzzParserTests } from './test-fuzz-parser.js';
import { parseSpec, parseSpecJson } from './validate.js';

/** Every branch of the spec's unions a mutation can reach: MLP, recurrent, per-layer lists. */
const valid = [
  tinySpec(),
  tinySpec({ data: { kind: 'adding' }, model: { kind: 'lstm', hiddenSize: 8 } }),
  tinySpec({
    data: { kind: 'spirals' },
    model: {
      kind: 'mlp',
      depth: 3,
      width: [8, 8],
      init: [{ kind: 'normal', std: 0.1 }, 'zeros', 'orthogonal'],
    },
    training: { optimizer: { kind: 'adam', lr: 0.01 }, clip: { kind: 'norm', maxNorm: 1 } },
  }),
].map((s) => JSON.parse(JSON.stringify(s)));

describe('the spec parser, fuzzed (1,000 inputs each)', () => {
  fuzzParserTests({
    parse: parseSpec,
    parseJson: parseSpecJson,
    valid,
    fields: Object.keys(ExperimentSpec.shape),
    code: 'INVALID_SPEC',
  });
});
