import { describe, expect, it } from 'vitest';
import { checkOf, fastPass, verifyFast } from '../../study-kit/test-study.js';
import { type CellSetting, addingProblemStudy as study } from './study.js';

const fast = study.settings.fast;
const tanhRnn = fast.cells['tanh-rnn'] as CellSetting;
const gru = fast.cells.gru as CellSetting;

describe('adding-problem', () => {
  it('with the fast settings every declared check passes, with the numbers behind it', async () => {
    const outcome = await fastPass(study);

    const [short, long] = fast.lengths as [number, number];
    const gated = checkOf(outcome, 'gated-cells-beat-baseline').values ?? {};
    for (const cell of ['lstm', 'gru']) {
      for (const T of fast.lengths) {
        expect(gated[`${cell}.T${T}.mse`], `${cell} T=${T}`).toBeLessThan(0.5 / 6);
      }
    }
    const plain = checkOf(outcome, 'tanh-rnn-fails-at-long-lags').values ?? {};
    expect(plain[`tanh-rnn.T${short}.mse`]).toBeLessThan(0.5 / 6);
    // At the long lag the tanh RNN predicts (about) the mean: MSE near 1/6.
    expect(plain[`tanh-rnn.T${long}.mse`]).toBeGreaterThan(0.5 / 6);
    const irnn = checkOf(outcome, 'irnn-beats-tanh-rnn').values ?? {};
    expect(irnn[`irnn.T${long}.mse`]).toBeLessThan(0.5 / 6);
    const gradient = checkOf(outcome, 'gradient-reaches-first-step').values ?? {};
    expect(gradient[`tanh-rnn.T${long}.signalRatio`]).toBeLessThan(1e-3);
    expect(gradient[`gru.T${long}.signalRatio`]).toBeGreaterThan(1e-2);

    // The presets, shortened for the fast run: the LSTM learns, the plain RNN does not.
    const presets = checkOf(outcome, 'lstm-adding-learns-rnn-adding-does-not').values ?? {};
    expect(presets.baseline).toBeCloseTo(1 / 6, 12);
    expect(presets['lstm.mseOverBaseline']).toBeLessThanOrEqual(0.1);
    expect(presets['rnn.mseOverBaseline']).toBeGreaterThanOrEqual(0.5);
    const presetRows = outcome.tables?.find((t) => t.id === 'presets')?.rows ?? [];
    expect(presetRows.map((row) => row[0])).toEqual(['lstm-adding', 'rnn-adding']);
    expect(presetRows.map((row) => row[2])).toEqual([
      fast.presetScale?.length,
      fast.presetScale?.length,
    ]);

    const table = outcome.tables?.[0];
    expect(table?.rows).toHaveLength(4 * fast.lengths.length);
    const mse = outcome.figures.find((f) => f.id === 'mse-vs-length');
    expect(mse?.points.filter((p) => p.series === 'predict the mean')).toHaveLength(
      fast.lengths.length,
    );
    for (const f of outcome.figures) {
      expect(f.points.length, f.id).toBeGreaterThan(0);
      for (const p of f.points) expect(Number(p.y) > 0 && Number.isFinite(Number(p.y))).toBe(true);
    }
  });

  it('plain tanh RNNs in place of the gated cells do not beat the baseline at the long lag', async () => {
    const long = fast.lengths.at(-1) as number;
    const v = await verifyFast(study, {
      lengths: [long],
      cells: { lstm: tanhRnn, gru: tanhRnn },
      presetArms: null,
    });
    const gated = checkOf(v, 'gated-cells-beat-baseline');
    expect(gated.pass).toBe(false);
    expect(gated.values?.[`lstm.T${long}.mse`]).toBeGreaterThan(0.5 / 6);
  });

  it('a GRU in place of the tanh RNN beats the baseline at every length: the long-lag check fails', async () => {
    const v = await verifyFast(study, { cells: { 'tanh-rnn': gru }, presetArms: null });
    const plain = checkOf(v, 'tanh-rnn-fails-at-long-lags');
    expect(plain.pass).toBe(false);
    const long = fast.lengths.at(-1) as number;
    expect(plain.values?.[`tanh-rnn.T${long}.mse`]).toBeLessThan(0.5 / 6);
  });

  it('a tanh RNN that fails for want of a learning rate, not of gradient, fails the gradient check', async () => {
    const long = fast.lengths.at(-1) as number;
    // At lr 1e-5 it barely moves: it keeps its initial gradient through time, and learns nothing.
    const v = await verifyFast(study, {
      lengths: [long],
      cells: { 'tanh-rnn': { ...tanhRnn, lr: 1e-5 }, gru },
      presetArms: null,
    });
    const gradient = checkOf(v, 'gradient-reaches-first-step');
    expect(gradient.pass).toBe(false);
    expect(gradient.values?.[`tanh-rnn.T${long}.signalRatio`]).toBeGreaterThan(1e-3);
    expect(gradient.values?.[`gru.T${long}.signalRatio`]).toBeGreaterThan(1e-2);
  });

  it('a tanh RNN in place of the IRNN does not beat the baseline where the tanh RNN fails', async () => {
    const long = fast.lengths.at(-1) as number;
    const v = await verifyFast(study, {
      lengths: [long],
      cells: { 'tanh-rnn': tanhRnn, irnn: tanhRnn },
      presetArms: null,
    });
    const irnn = checkOf(v, 'irnn-beats-tanh-rnn');
    expect(irnn.pass).toBe(false);
    expect(irnn.values?.lengthsWhereIrnnAloneBeats).toBe(0);
    expect(irnn.values?.[`irnn.T${long}.mse`]).toBeGreaterThan(0.5 / 6);
  });

  it('rnn-adding in place of lstm-adding: the preset check fails, the LSTM arm at the baseline', async () => {
    // Only the presets train: the cells' checks are not what this counterfactual is about.
    const v = await verifyFast(study, {
      lengths: [10],
      cells: {},
      presetArms: { lstm: 'rnn-adding', rnn: 'rnn-adding' },
    });
    const presets = checkOf(v, 'lstm-adding-learns-rnn-adding-does-not');
    expect(presets.pass).toBe(false);
    expect(presets.values?.['lstm.mseOverBaseline']).toBeGreaterThan(0.5);
  });

  it('the presets left out: the preset check fails rather than passing unmeasured', async () => {
    const v = await verifyFast(study, { lengths: [10], cells: {}, presetArms: null });
    expect(checkOf(v, 'lstm-adding-learns-rnn-adding-does-not').pass).toBe(false);
  });
});
