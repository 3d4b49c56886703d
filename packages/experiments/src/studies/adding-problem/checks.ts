import { addingData } from '@gradlab/core';
import { declareChecks, judged } from '../../define/define-study.js';
import type { CheckResult, StudyRuns, TrainedRun } from '../../study.js';
import { finiteOrNull, valuesPerItem } from '../../study-kit/check-values.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { ADDING_MEAN_BASELINE, predictTheMeanMse } from './baseline.js';
import {
  type AddingProblemSettings,
  type CellName,
  cellRuns,
  cellsOf,
  presetRuns,
} from './settings.js';

/** A cell "beats the baseline" when its MSE is below this fraction of predict-the-mean's. */
export const BEAT_FRACTION = 0.5;
/**
 * After training, the gradient at the first time step relative to the last: below VANISHED the
 * first marked value no longer reaches the weights; above KEPT it does.
 */
const VANISHED = 1e-3;
const KEPT = 1e-2;
/**
 * The presets' claim, with margins on both sides: the LSTM learns the task (MSE at most a tenth
 * of predict-the-mean's; measured 0.35% of it), the plain RNN does not (at least half of it;
 * measured 97%).
 */
export const LEARNED_FRACTION = 0.1;
export const NOT_LEARNED_FRACTION = 0.5;
/** Examples the training loop evaluates a trained network on (the first of the data set). */
const EVALUATION_SAMPLES = 1024;

/**
 * What each check measures, its tolerance, and the settings that make it fail, with what the
 * fast run measured under them (adding-problem.test.ts runs each).
 */
export const declared = declareChecks({
  'gated-cells-beat-baseline': {
    claim:
      'LSTM and GRU beat the predict-the-mean baseline at every sequence length, the longest included.',
    measures:
      'The evaluation MSE of the trained LSTM and GRU at every length (inference mode, the first 1,024 sequences), against the MSE of predicting their mean target on the same sequences.',
    tolerance:
      'Below half the baseline at every length; measured (fast) LSTM 0.0035 and 0.039, GRU 0.0018 and 0.0032 at T = 10 and 20, (full) LSTM at most 0.026 and GRU at most 0.0027 up to T = 30, against 0.17.',
    counterfactuals: [
      {
        change:
          '`cells: { lstm: <the tanh RNN>, gru: <the tanh RNN> }`, `lengths: [20]` (plain tanh RNNs in place of the gated cells)',
        measured: 'MSE 0.168 in both arms, at the baseline.',
      },
    ],
  },
  'tanh-rnn-fails-at-long-lags': {
    claim:
      'The plain tanh RNN beats the baseline at the shortest length but not at the longer ones: its gradient does not carry the first marked value across the lag.',
    measures:
      "The tanh RNN's evaluation MSE at the shortest length and at every longer one, against the baseline.",
    tolerance:
      'Below half the baseline at the shortest length, at least half of it at every longer one; measured (fast) 0.049 at T = 10 and 0.168 at T = 20, (full) 0.028, 0.163 and 0.167 at T = 10, 20 and 30.',
    counterfactuals: [
      {
        change: '`cells: { "tanh-rnn": <the GRU> }` (a GRU in place of the tanh RNN)',
        measured:
          'MSE 0.0018 at T = 10 and 0.0032 at T = 20: it beats the baseline at every length.',
      },
    ],
  },
  'irnn-beats-tanh-rnn': {
    claim:
      'The IRNN (ReLU, identity recurrent kernel) beats the baseline at a length where the plain tanh RNN does not.',
    measures:
      "The lengths at which the IRNN's MSE is below half the baseline while the tanh RNN's is not.",
    tolerance:
      'At least one such length; measured (fast) T = 20: IRNN 0.0049, tanh RNN 0.168; (full) T = 20 and 30: IRNN 0.018 and 0.025, tanh RNN 0.163 and 0.167.',
    counterfactuals: [
      {
        change:
          '`cells: { "tanh-rnn": <the tanh RNN>, irnn: <the tanh RNN> }`, `lengths: [20]` (a tanh RNN in place of the IRNN)',
        measured: 'MSE 0.168 in both arms: no such length.',
      },
    ],
  },
  'gradient-reaches-first-step': {
    claim:
      'After training, the gradient at the first time step has vanished in the tanh RNN at the lengths where it fails, and has not in every cell and length that beats the baseline.',
    measures:
      '||dL/dh_1|| / ||dL/dh_T||, the backpropagated signal at the first time step over that at the last, on the last training step.',
    tolerance: `Below ${VANISHED} for the tanh RNN at every length where it fails, above ${KEPT} for every cell at every length where it beats the baseline; measured (fast) 1.1e-4 against 0.37 to 0.88, (full) 3.8e-5 and 8.8e-6 against 0.24 to 0.80.`,
    counterfactuals: [
      {
        change:
          '`cells: { "tanh-rnn": { <the tanh RNN>, lr: 1e-5 }, gru: <the GRU> }`, `lengths: [20]` (a tanh RNN that fails for want of a learning rate, not of gradient)',
        measured:
          'ratio 0.133 in the failing tanh RNN (MSE 0.396): its gradient still reaches the first step.',
      },
    ],
  },
  'lstm-adding-learns-rnn-adding-does-not': {
    claim:
      "The lstm-adding preset's LSTM learns the task, its final MSE at most a tenth of the predict-the-mean baseline (1/6), while rnn-adding's plain tanh RNN, trained the same way, stays near the baseline (at least half of it).",
    measures:
      'The final MSE (inference mode, the first 1,024 sequences) of the lstm-adding and rnn-adding presets, trained as the catalogue has them (T = 50, 800 steps; the fast run: T = 30, 500 steps), against the predict-the-mean MSE in closed form for the generator, 1/6, as the run records it.',
    tolerance: `The LSTM at most ${LEARNED_FRACTION} x the baseline, the RNN at least ${NOT_LEARNED_FRACTION} x it; measured at T = 50 LSTM 0.00058 (0.35% of it) and RNN 0.161 (97%), at T = 30 (fast) 0.0015 (0.9%) and 0.164 (98.6%): the LSTM 11 to 29 times below its bound, the RNN about twice its bound.`,
    counterfactuals: [
      {
        change:
          '`presetArms: { lstm: "rnn-adding", rnn: "rnn-adding" }` (the plain RNN in place of the LSTM)',
        measured: 'MSE 0.164 in the lstm arm (fast), 98.6% of the baseline.',
      },
    ],
  },
});

/** "not run" where the settings left a cell or a length out. */
const fmt = (x: number | null | undefined): string =>
  x === undefined ? 'not run' : formatNumber(x);

const evaluationLoss = (run: TrainedRun): number => run.result.evaluation?.loss ?? Number.NaN;

/** One of the two presets, trained: which preset, its cell, and its MSE against the baseline. */
function presetRun(name: string, run: TrainedRun) {
  const { model, data, training } = run.spec;
  return {
    preset: name,
    cell: model.kind === 'rnn' ? `${model.activation} RNN` : model.kind.toUpperCase(),
    length: data.kind === 'adding' ? data.length : Number.NaN,
    steps: training.steps,
    run,
    // NaN if the network diverged.
    mse: evaluationLoss(run),
    // The predict-the-mean MSE in closed form for the generator, as the run recorded it.
    baseline: run.result.evaluation?.baseline ?? ADDING_MEAN_BASELINE,
  };
}
export type PresetRun = ReturnType<typeof presetRun>;

/** What the judge reads: the baseline per length, every cell's runs, and the presets'. */
export function results(s: AddingProblemSettings, runs: StudyRuns) {
  // The baseline of each length: predict-the-mean on the sequences the cells are evaluated on.
  const baseline = new Map(
    s.lengths.map((length) => {
      const data = addingData(s.seed, { length, samples: s.samples });
      return [length, predictTheMeanMse(data.y, EVALUATION_SAMPLES)];
    }),
  );
  // Length by length, cell by cell.
  const trained = cellRuns(s).map(({ cell, length, label }) => {
    const run = runs.get(label);
    const mse = evaluationLoss(run);
    return {
      cell,
      length,
      run,
      mse,
      // NaN (a diverged run) compares false: it does not beat anything.
      beats: mse < BEAT_FRACTION * (baseline.get(length) ?? Number.NaN),
      // ||dL/dh_1|| / ||dL/dh_T|| at initialisation and at the last step.
      signalAtInit: finiteOrNull(run.steps[0]?.signal?.ratioFirstToLast),
      signalAtEnd: finiteOrNull(run.result.final?.signal?.ratioFirstToLast),
    };
  });
  const [lstm, rnn] = presetRuns(s).map((p) => presetRun(p.name, runs.get(p.label)));
  return {
    lengths: s.lengths,
    cells: cellsOf(s),
    baseline,
    runs: trained,
    presets: lstm && rnn ? { lstm, rnn } : null,
  };
}
export type Results = ReturnType<typeof results>;
export type CellRun = Results['runs'][number];

/** The run of `cell` at length T; undefined where the settings left it out. */
export const runAt = (r: Results, cell: CellName, T: number): CellRun | undefined =>
  r.runs.find((m) => m.cell === cell && m.length === T);

/** Every run of the cells, cell by cell, each at every length. */
export const byCell = (r: Results): CellRun[] =>
  r.cells.flatMap((cell) => r.lengths.flatMap((T) => runAt(r, cell, T) ?? []));

const describeCell = (r: Results, cell: CellName): string =>
  `${cell} ${r.lengths.map((T) => `T=${T}: ${fmt(runAt(r, cell, T)?.mse)}`).join(', ')}`;

const mseValues = (r: Results, cells: readonly CellName[]) =>
  valuesPerItem(
    cells,
    (cell) => cell,
    (cell) =>
      Object.fromEntries(r.lengths.map((T) => [`T${T}.mse`, finiteOrNull(runAt(r, cell, T)?.mse)])),
  );

const baselineText = (r: Results): string =>
  `predict-the-mean MSE ${r.lengths.map((T) => `${fmt(r.baseline.get(T))} (T=${T})`).join(', ')}`;

function gatedCheck(r: Results): CheckResult {
  const cells: CellName[] = ['lstm', 'gru'];
  return judged(declared, 'gated-cells-beat-baseline', {
    pass:
      r.lengths.length > 0 &&
      cells.every((c) => r.lengths.every((T) => runAt(r, c, T)?.beats === true)),
    measured: `final MSE ${cells.map((c) => describeCell(r, c)).join('; ')}`,
    expected: `MSE < ${BEAT_FRACTION} x the ${baselineText(r)}, at every length`,
    values: mseValues(r, cells),
  });
}

function plainCheck(r: Results): CheckResult {
  const [shortest, ...longer] = r.lengths;
  const beats = (T: number) => runAt(r, 'tanh-rnn', T)?.beats;
  return judged(declared, 'tanh-rnn-fails-at-long-lags', {
    pass:
      shortest !== undefined &&
      longer.length > 0 &&
      beats(shortest) === true &&
      longer.every((T) => beats(T) === false),
    measured: `final MSE ${describeCell(r, 'tanh-rnn')}`,
    expected: `MSE < ${BEAT_FRACTION} x the baseline at T=${shortest}, and >= ${BEAT_FRACTION} x the baseline at T=${longer.join(', ')} (${baselineText(r)})`,
    values: mseValues(r, ['tanh-rnn']),
  });
}

function irnnCheck(r: Results): CheckResult {
  const where = r.lengths.filter(
    (T) => runAt(r, 'tanh-rnn', T)?.beats === false && runAt(r, 'irnn', T)?.beats === true,
  );
  return judged(declared, 'irnn-beats-tanh-rnn', {
    pass: where.length > 0,
    measured: `final MSE ${describeCell(r, 'irnn')}; ${describeCell(r, 'tanh-rnn')}; IRNN beats the baseline where the tanh RNN does not at ${where.length > 0 ? `T=${where.join(', ')}` : 'no length'}`,
    expected: `IRNN MSE < ${BEAT_FRACTION} x the baseline, and the tanh RNN's >= ${BEAT_FRACTION} x, at one length at least (${baselineText(r)})`,
    values: { ...mseValues(r, ['irnn']), lengthsWhereIrnnAloneBeats: where.length },
  });
}

function gradientCheck(r: Results): CheckResult {
  const failing = r.runs.filter((m) => m.cell === 'tanh-rnn' && !m.beats);
  const learned = byCell(r).filter((m) => m.beats);
  const vanished = failing.every((m) => m.signalAtEnd !== null && m.signalAtEnd < VANISHED);
  const kept = learned.every((m) => m.signalAtEnd !== null && m.signalAtEnd > KEPT);
  const signals = (list: readonly CellRun[], name: (m: CellRun) => string) =>
    list.map((m) => `${name(m)}: ${fmt(m.signalAtEnd)}`).join(', ');
  return judged(declared, 'gradient-reaches-first-step', {
    pass: failing.length > 0 && learned.length > 0 && vanished && kept,
    measured: `||dL/dh_1|| / ||dL/dh_T|| after training: tanh RNN where it fails ${failing.length > 0 ? signals(failing, (m) => `T=${m.length}`) : '(no such length)'}; where a cell beats the baseline ${signals(learned, (m) => `${m.cell} T=${m.length}`)}`,
    expected: `below ${VANISHED} for the tanh RNN at every length where it fails; above ${KEPT} for every cell at every length where it beats the baseline`,
    values: Object.fromEntries(
      byCell(r).map((m) => [`${m.cell}.T${m.length}.signalRatio`, m.signalAtEnd]),
    ),
  });
}

const describePreset = (m: PresetRun): string =>
  `${m.preset} (${m.cell}, T=${m.length}, ${m.steps} steps) final MSE ${fmt(m.mse)} (predict-the-mean baseline ${fmt(m.baseline)}, ${formatPercent(m.mse / m.baseline)} of it)`;

function presetsCheck(r: Results): CheckResult {
  const expected = `the lstm arm's MSE <= ${LEARNED_FRACTION} x the predict-the-mean baseline, the rnn arm's >= ${NOT_LEARNED_FRACTION} x it`;
  if (!r.presets) {
    const measured = 'the presets were not trained';
    return judged(declared, 'lstm-adding-learns-rnn-adding-does-not', {
      pass: false,
      measured,
      expected,
    });
  }
  const { lstm, rnn } = r.presets;
  return judged(declared, 'lstm-adding-learns-rnn-adding-does-not', {
    // NaN (a diverged run) compares false on both sides: it shows neither learning nor its absence.
    pass:
      lstm.mse <= LEARNED_FRACTION * lstm.baseline &&
      rnn.mse >= NOT_LEARNED_FRACTION * rnn.baseline,
    measured: `${describePreset(lstm)}; ${describePreset(rnn)}`,
    expected,
    values: {
      'lstm.mse': finiteOrNull(lstm.mse),
      'rnn.mse': finiteOrNull(rnn.mse),
      baseline: lstm.baseline,
      'lstm.mseOverBaseline': finiteOrNull(lstm.mse / lstm.baseline),
      'rnn.mseOverBaseline': finiteOrNull(rnn.mse / rnn.baseline),
    },
  });
}

export const checks = (r: Results): CheckResult[] => [
  gatedCheck(r),
  plainCheck(r),
  irnnCheck(r),
  gradientCheck(r),
  presetsCheck(r),
];
