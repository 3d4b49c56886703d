import { caught, useCpu } from '@gradlab/testkit/helpers';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMitigations } from '../catalogue.js';
import { mlpSpec, noLeak, rnnSpec, run } from '../test-support.js';

beforeAll(useCpu);

// The rnn-adding preset's cell (small random recurrent weights) over 20 steps: the plain
// cell's gradient through time vanishes.
const base = rnnSpec({
  data: { kind: 'adding', length: 20, samples: 64 },
  model: { kind: 'rnn', hiddenSize: 16, recurrentInit: { kind: 'normal', std: 0.05 } },
  training: { steps: 1, batchSize: 32, optimizer: { kind: 'adam', lr: 0.001 } },
});

/** ||dL/dh|| at t = 1 over t = T on step 1, from the same seed. */
async function ratio(variant: string): Promise<number> {
  const { result } = await noLeak(() => run(applyMitigations(base, variant)));
  expect(result.final?.signal?.labels).toHaveLength(20);
  return result.final?.signal?.ratioFirstToLast as number;
}

describe('recurrent cells on the adding problem (same seed, same initialisers)', () => {
  it('lstm and gru carry the gradient to t = 1 far better than the plain rnn, which vanishes', async () => {
    const rnn = await ratio('rnn');
    const lstm = await ratio('lstm');
    const gru = await ratio('gru');
    expect(rnn).toBeLessThan(1e-8);
    expect(lstm).toBeGreaterThan(1e4 * rnn);
    expect(gru).toBeGreaterThan(1e4 * rnn);
    expect(lstm).toBeGreaterThan(gru); // forget bias 1 vs an update gate starting at 0.5
  });

  it('the IRNN (rnn+relu+identity-init) passes the gradient through time almost unchanged', async () => {
    expect(await ratio('relu+identity-init')).toBeGreaterThan(0.1);
  });

  it('swapping keeps hiddenSize and the initialisers, and swaps back', () => {
    const lstm = applyMitigations(base, 'lstm');
    expect(lstm.model).toMatchObject({
      kind: 'lstm',
      hiddenSize: 16,
      recurrentInit: { kind: 'normal', std: 0.05 },
      forgetBias: 1,
    });
    expect(applyMitigations(lstm, 'gru+rnn').model).toEqual(base.model);
  });

  it('does not apply to an MLP', async () => {
    for (const cell of ['rnn', 'lstm', 'gru']) {
      const e = await caught(() => applyMitigations(mlpSpec(), cell));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toContain(`${cell} does not apply here: the model is an MLP`);
    }
  });
});
