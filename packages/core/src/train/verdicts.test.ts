/** Whole runs whose gradients vanish, explode or overflow end with the matching verdict. */
import { beforeAll, expect, test } from 'vitest';
import { runExperiment } from '../index.js';
import { tinySpec, useCpu } from '../test-support.js';

beforeAll(useCpu);

const data = { kind: 'teacher', inputSize: 8, outputSize: 2, samples: 64 } as const;

test('a deep sigmoid net with small weights: vanishing, first seen at step 1 in the first layer', async () => {
  const spec = tinySpec({
    data,
    model: {
      kind: 'mlp',
      depth: 8,
      width: 8,
      activation: 'sigmoid',
      init: { kind: 'normal', std: 0.05 },
    },
    training: { steps: 3, batchSize: 8 },
  });
  const result = await runExperiment(spec);
  expect(result.verdict).toBe('vanishing');
  expect(result.worstVerdict).toBe('vanishing');
  // One entry per kind of problem: where and when it was first seen, and the evidence.
  expect(result.firstProblems).toHaveLength(1);
  expect(result.firstProblems[0]).toMatchObject({
    verdict: 'vanishing',
    step: 1,
    layer: 'dense1',
    source: 'weight-gradient',
  });
  expect(result.firstProblems[0]?.summary).toMatch(/^weight gradient of dense1 /);
  const layers = result.final?.layers ?? [];
  expect(layers[0]?.ratioToLast).toBeLessThan(1e-3);
  expect(layers.at(-1)?.verdict).toBe('healthy');
  // Each sigmoid layer shrinks the gradient: the profile rises towards the output.
  const ratios = layers.map((l) => l.ratioToLast);
  for (let i = 1; i < ratios.length; i++)
    expect(ratios[i]).toBeGreaterThan(ratios[i - 1] as number);
});

test('a deep linear net with huge weights: exploding', async () => {
  const spec = tinySpec({
    data,
    model: {
      kind: 'mlp',
      depth: 6,
      width: 8,
      activation: 'linear',
      init: { kind: 'normal', std: 5 },
    },
    training: { steps: 1, batchSize: 8 },
  });
  const result = await runExperiment(spec);
  expect(result.verdict).toBe('exploding');
  expect(result.firstProblems[0]).toMatchObject({ verdict: 'exploding', step: 1 });
  const layers = result.final?.layers ?? [];
  expect(layers.some((l) => l.gradNorm > spec.diagnostics.thresholds.explodingNorm)).toBe(true);
  expect(layers.every((l) => Number.isFinite(l.gradNorm) && l.nonFinite === 0)).toBe(true);
});

test('a learning rate that blows up the loss ends non-finite, with NaN/Inf counted per layer', async () => {
  const spec = tinySpec({
    data,
    model: { kind: 'mlp', depth: 3, width: 8, activation: 'linear', init: 'he-normal' },
    training: { steps: 12, batchSize: 8, optimizer: { kind: 'sgd', lr: 100 } },
    diagnostics: { every: 1 },
  });
  const verdicts: string[] = [];
  const result = await runExperiment(spec, {
    listeners: [(e) => void (e.type === 'step' && verdicts.push(e.diagnostics?.verdict ?? ''))],
  });
  expect(result.status).toBe('complete');
  const firstBad = verdicts.indexOf('non-finite') + 1;
  expect(firstBad).toBeGreaterThan(1);
  expect(result.firstProblems.find((p) => p.verdict === 'non-finite')?.step).toBe(firstBad);
  expect(result.verdict).toBe('non-finite');
  expect(result.worstVerdict).toBe('non-finite');
  expect(Number.isFinite(result.loss.first)).toBe(true);
  expect(Number.isFinite(result.loss.last)).toBe(false);
  const layers = result.final?.layers ?? [];
  const sizes = [8 * 8 + 8, 8 * 8 + 8, 8 * 2 + 2];
  layers.forEach((l, i) => {
    expect(l.nonFinite).toBeGreaterThan(0);
    expect(l.nonFinite).toBeLessThanOrEqual(sizes[i] as number);
    expect(l.verdict).toBe('non-finite');
  });
});

test('a well-initialised net stays healthy', async () => {
  const result = await runExperiment(tinySpec({ training: { steps: 3, batchSize: 8 } }));
  expect(result.verdict).toBe('healthy');
  expect(result.firstProblems).toEqual([]);
});

test('a transient problem: the final verdict is the end state, the worst is remembered', async () => {
  // A zero output kernel passes no gradient back at step 1 (hidden layers vanish); after one
  // update it is non-zero and the gradient flows.
  const spec = tinySpec({
    model: {
      kind: 'mlp',
      depth: 3,
      width: 6,
      activation: 'tanh',
      init: ['xavier-uniform', 'xavier-uniform', 'zeros'],
    },
    training: { steps: 3, batchSize: 8, optimizer: { kind: 'sgd', lr: 0.1 } },
    diagnostics: { every: 1 },
  });
  const changes: string[] = [];
  const result = await runExperiment(spec, {
    listeners: [
      (e) => void (e.type === 'verdict' && changes.push(`${e.step} ${e.layer} ${e.from}->${e.to}`)),
    ],
  });
  expect(result.verdict).toBe('healthy');
  expect(result.worstVerdict).toBe('vanishing');
  expect(result.firstProblems).toHaveLength(1);
  expect(result.firstProblems[0]).toMatchObject({ verdict: 'vanishing', step: 1, layer: 'dense1' });
  // Every kind of evidence sees it: the hidden layers' weight gradients, the backpropagated
  // signal (exactly 0 below the zero kernel) and the hidden layers' gradient/weight ratios.
  expect(changes).toEqual([
    '1 dense1 healthy->vanishing',
    '1 dense2 healthy->vanishing',
    '1 signal healthy->vanishing',
    '1 grad/weight healthy->vanishing',
    '2 dense1 vanishing->healthy',
    '2 dense2 vanishing->healthy',
    '2 signal vanishing->healthy',
    '2 grad/weight vanishing->healthy',
  ]);
});
