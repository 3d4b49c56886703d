import {
  type Activation,
  addingData,
  type ExperimentSpecInput,
  type Initializer,
} from '@gradlab/core';
import { presets } from '../../catalogue.js';
import type {
  CheckResult,
  DeclaredCheck,
  FigurePoint,
  Study,
  StudyContext,
  StudyFigure,
  StudyTable,
  TrainedRun,
} from '../../study.js';
import { formatNumber, formatPercent } from '../training-measures/format.js';
import { ADDING_MEAN_BASELINE, predictTheMeanMse } from './baseline.js';

/** One recurrent cell of the comparison: its model (hidden size aside), Adam's rate, clipping. */
export interface CellSetting {
  readonly model: {
    readonly kind: 'rnn' | 'lstm' | 'gru';
    readonly activation?: Activation;
    readonly init?: Initializer;
    readonly recurrentInit?: Initializer;
    readonly forgetBias?: number;
  };
  readonly lr: number;
  /** Global-norm clipping threshold, or null for none. */
  readonly clip: number | null;
}

/** The cells the claims are about. */
export type CellName = 'tanh-rnn' | 'lstm' | 'gru' | 'irnn';

export interface AddingProblemSettings {
  /** Sequence lengths T, shortest first. */
  readonly lengths: readonly number[];
  /** The cells to train at every length (a cell left out fails the checks about it). */
  readonly cells: Readonly<Partial<Record<CellName, CellSetting>>>;
  readonly hiddenSize: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly samples: number;
  readonly seed: number;
  /**
   * The catalogue's presets trained side by side, by name: `lstm` is the arm expected to learn
   * the task, `rnn` the one expected not to (null: not trained, and the check about them fails).
   */
  readonly presetArms: { readonly lstm: string; readonly rnn: string } | null;
  /** Replaces the presets' sequence length and steps (null: the presets as they are). */
  readonly presetScale: { readonly length: number; readonly steps: number } | null;
}

/** A cell "beats the baseline" when its MSE is below this fraction of predict-the-mean's. */
const BEAT_FRACTION = 0.5;
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
const LEARNED_FRACTION = 0.1;
const NOT_LEARNED_FRACTION = 0.5;
/** Examples the training loop evaluates a trained network on (the first of the data set). */
const EVALUATION_SAMPLES = 1024;

const CLAIMS = {
  gated: {
    id: 'gated-cells-beat-baseline',
    claim:
      'LSTM and GRU beat the predict-the-mean baseline at every sequence length, the longest included.',
  },
  plain: {
    id: 'tanh-rnn-fails-at-long-lags',
    claim:
      'The plain tanh RNN beats the baseline at the shortest length but not at the longer ones: its gradient does not carry the first marked value across the lag.',
  },
  irnn: {
    id: 'irnn-beats-tanh-rnn',
    claim:
      'The IRNN (ReLU, identity recurrent kernel) beats the baseline at a length where the plain tanh RNN does not.',
  },
  gradient: {
    id: 'gradient-reaches-first-step',
    claim:
      'After training, the gradient at the first time step has vanished in the tanh RNN at the lengths where it fails, and has not in every cell and length that beats the baseline.',
  },
  presets: {
    id: 'lstm-adding-learns-rnn-adding-does-not',
    claim:
      "The lstm-adding preset's LSTM learns the task, its final MSE at most a tenth of the predict-the-mean baseline (1/6), while rnn-adding's plain tanh RNN, trained the same way, stays near the baseline (at least half of it).",
  },
} as const;
type ClaimKey = keyof typeof CLAIMS;

/**
 * What each check measures, its tolerance, and the settings that make it fail, with what the
 * fast run measured under them (adding-problem.test.ts runs each).
 */
const DECLARED: Record<ClaimKey, Omit<DeclaredCheck, 'id' | 'claim'>> = {
  gated: {
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
  plain: {
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
  irnn: {
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
  gradient: {
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
  presets: {
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
};

const fmt = (x: number | null | undefined): string =>
  x === undefined ? 'not run' : formatNumber(x);
const finiteOrNull = (x: number | undefined): number | null =>
  x !== undefined && Number.isFinite(x) ? x : null;

interface Measurement {
  readonly cell: CellName;
  readonly length: number;
  readonly run: TrainedRun;
  /** Evaluation MSE of the trained network (NaN if it diverged). */
  readonly mse: number;
  /** ||dL/dh_1|| / ||dL/dh_T|| at initialisation and at the last step. */
  readonly signalAtInit: number | null;
  readonly signalAtEnd: number | null;
}

/** One of the two presets, trained: which preset, its cell, and its MSE against the baseline. */
interface PresetMeasurement {
  readonly preset: string;
  readonly cell: string;
  readonly length: number;
  readonly steps: number;
  readonly run: TrainedRun;
  /** Evaluation MSE of the trained network (NaN if it diverged). */
  readonly mse: number;
  /** The predict-the-mean MSE in closed form for the generator, as the run recorded it. */
  readonly baseline: number;
}

interface Results {
  readonly lengths: readonly number[];
  readonly baseline: ReadonlyMap<number, number>;
  readonly byCell: ReadonlyMap<CellName, ReadonlyMap<number, Measurement>>;
  /** The preset arms, or null where the settings leave them out. */
  readonly presets: { readonly lstm: PresetMeasurement; readonly rnn: PresetMeasurement } | null;
}

const beats = (r: Results, cell: CellName, length: number): boolean | null => {
  const m = r.byCell.get(cell)?.get(length);
  if (!m) return null;
  // NaN (a diverged run) compares false: it does not beat anything.
  return m.mse < BEAT_FRACTION * (r.baseline.get(length) ?? Number.NaN);
};

const mseOf = (r: Results, cell: CellName, length: number): number | undefined =>
  r.byCell.get(cell)?.get(length)?.mse;

function describeCell(r: Results, cell: CellName): string {
  return `${cell} ${r.lengths.map((T) => `T=${T}: ${fmt(mseOf(r, cell, T))}`).join(', ')}`;
}

function cellValues(r: Results, cells: readonly CellName[]): Record<string, number | null> {
  return Object.fromEntries(
    cells.flatMap((c) => r.lengths.map((T) => [`${c}.T${T}.mse`, finiteOrNull(mseOf(r, c, T))])),
  );
}

function baselineText(r: Results): string {
  return `predict-the-mean MSE ${r.lengths.map((T) => `${fmt(r.baseline.get(T))} (T=${T})`).join(', ')}`;
}

function gatedCheck(r: Results): CheckResult {
  const cells: CellName[] = ['lstm', 'gru'];
  const pass =
    r.lengths.length > 0 && cells.every((c) => r.lengths.every((T) => beats(r, c, T) === true));
  return {
    ...CLAIMS.gated,
    pass,
    measured: `final MSE ${cells.map((c) => describeCell(r, c)).join('; ')}`,
    expected: `MSE < ${BEAT_FRACTION} x the ${baselineText(r)}, at every length`,
    values: cellValues(r, cells),
  };
}

function plainCheck(r: Results): CheckResult {
  const [shortest, ...longer] = r.lengths;
  const pass =
    shortest !== undefined &&
    longer.length > 0 &&
    beats(r, 'tanh-rnn', shortest) === true &&
    longer.every((T) => beats(r, 'tanh-rnn', T) === false);
  return {
    ...CLAIMS.plain,
    pass,
    measured: `final MSE ${describeCell(r, 'tanh-rnn')}`,
    expected: `MSE < ${BEAT_FRACTION} x the baseline at T=${shortest}, and >= ${BEAT_FRACTION} x the baseline at T=${longer.join(', ')} (${baselineText(r)})`,
    values: cellValues(r, ['tanh-rnn']),
  };
}

function irnnCheck(r: Results): CheckResult {
  const where = r.lengths.filter(
    (T) => beats(r, 'tanh-rnn', T) === false && beats(r, 'irnn', T) === true,
  );
  return {
    ...CLAIMS.irnn,
    pass: where.length > 0,
    measured: `final MSE ${describeCell(r, 'irnn')}; ${describeCell(r, 'tanh-rnn')}; IRNN beats the baseline where the tanh RNN does not at ${where.length > 0 ? `T=${where.join(', ')}` : 'no length'}`,
    expected: `IRNN MSE < ${BEAT_FRACTION} x the baseline, and the tanh RNN's >= ${BEAT_FRACTION} x, at one length at least (${baselineText(r)})`,
    values: { ...cellValues(r, ['irnn']), lengthsWhereIrnnAloneBeats: where.length },
  };
}

function gradientCheck(r: Results): CheckResult {
  const failing = r.lengths.filter((T) => beats(r, 'tanh-rnn', T) === false);
  const learned = [...r.byCell].flatMap(([cell, byLength]) =>
    [...byLength.values()].filter((m) => beats(r, cell, m.length) === true),
  );
  const signal = (cell: CellName, T: number) => r.byCell.get(cell)?.get(T)?.signalAtEnd ?? null;
  const vanished = failing.every((T) => {
    const x = signal('tanh-rnn', T);
    return x !== null && x < VANISHED;
  });
  const kept = learned.every((m) => m.signalAtEnd !== null && m.signalAtEnd > KEPT);
  return {
    ...CLAIMS.gradient,
    pass: failing.length > 0 && learned.length > 0 && vanished && kept,
    measured: `||dL/dh_1|| / ||dL/dh_T|| after training: tanh RNN where it fails ${failing.length > 0 ? failing.map((T) => `T=${T}: ${fmt(signal('tanh-rnn', T))}`).join(', ') : '(no such length)'}; where a cell beats the baseline ${learned.map((m) => `${m.cell} T=${m.length}: ${fmt(m.signalAtEnd)}`).join(', ')}`,
    expected: `below ${VANISHED} for the tanh RNN at every length where it fails; above ${KEPT} for every cell at every length where it beats the baseline`,
    values: Object.fromEntries(
      [...r.byCell].flatMap(([cell, byLength]) =>
        [...byLength.values()].map((m) => [`${cell}.T${m.length}.signalRatio`, m.signalAtEnd]),
      ),
    ),
  };
}

const describePreset = (m: PresetMeasurement): string =>
  `${m.preset} (${m.cell}, T=${m.length}, ${m.steps} steps) final MSE ${fmt(m.mse)} (predict-the-mean baseline ${fmt(m.baseline)}, ${formatPercent(m.mse / m.baseline)} of it)`;

function presetsCheck(r: Results): CheckResult {
  const expected = `the lstm arm's MSE <= ${LEARNED_FRACTION} x the predict-the-mean baseline, the rnn arm's >= ${NOT_LEARNED_FRACTION} x it`;
  if (!r.presets) {
    return { ...CLAIMS.presets, pass: false, measured: 'the presets were not trained', expected };
  }
  const { lstm, rnn } = r.presets;
  // NaN (a diverged run) compares false on both sides: it shows neither learning nor its absence.
  const learned = lstm.mse <= LEARNED_FRACTION * lstm.baseline;
  const notLearned = rnn.mse >= NOT_LEARNED_FRACTION * rnn.baseline;
  return {
    ...CLAIMS.presets,
    pass: learned && notLearned,
    measured: `${describePreset(lstm)}; ${describePreset(rnn)}`,
    expected,
    values: {
      'lstm.mse': finiteOrNull(lstm.mse),
      'rnn.mse': finiteOrNull(rnn.mse),
      baseline: lstm.baseline,
      'lstm.mseOverBaseline': finiteOrNull(lstm.mse / lstm.baseline),
      'rnn.mseOverBaseline': finiteOrNull(rnn.mse / rnn.baseline),
    },
  };
}

const CELL_TITLES: Readonly<Record<CellName, string>> = {
  'tanh-rnn': 'tanh RNN',
  lstm: 'LSTM',
  gru: 'GRU',
  irnn: 'IRNN',
};

/** Steps averaged per point of the presets' loss curves: about 80 points per curve. */
const LOSS_POINTS = 80;

function presetFigures(r: Results): StudyFigure[] {
  if (!r.presets) return [];
  const arms = [r.presets.lstm, r.presets.rnn];
  const points: FigurePoint[] = arms.flatMap((m) => {
    const window = Math.max(1, Math.round(m.run.losses.length / LOSS_POINTS));
    const out: FigurePoint[] = [];
    for (let i = 0; i + window <= m.run.losses.length; i += window) {
      const mean = m.run.losses.slice(i, i + window).reduce((a, b) => a + b, 0) / window;
      if (Number.isFinite(mean) && mean > 0) {
        out.push({ series: `${m.preset} (${m.cell})`, x: i + window, y: mean });
      }
    }
    return out;
  });
  const steps = Math.max(...arms.map((m) => m.run.losses.length));
  const baseline = r.presets.lstm.baseline;
  points.push(
    { series: 'predict the mean', x: 1, y: baseline },
    { series: 'predict the mean', x: steps, y: baseline },
  );
  return [
    {
      id: 'preset-training-loss',
      title: `The presets: training loss at T = ${r.presets.lstm.length}`,
      kind: 'line',
      x: { title: 'step' },
      y: { title: 'training MSE (mean over a window of steps)', log: true },
      points,
      caption: `The LSTM sits at the predict-the-mean MSE for a few hundred steps, then learns the task; the plain RNN stays there. The check asks the LSTM for ${LEARNED_FRACTION}x the baseline and the RNN for at least ${NOT_LEARNED_FRACTION}x.`,
    },
  ];
}

function figures(r: Results): StudyFigure[] {
  const cells = [...r.byCell.keys()];
  const mse: FigurePoint[] = [
    ...cells.flatMap((c) =>
      r.lengths.flatMap((T) => {
        const y = mseOf(r, c, T);
        return y !== undefined && Number.isFinite(y) && y > 0
          ? [{ series: CELL_TITLES[c], x: T, y }]
          : [];
      }),
    ),
    ...r.lengths.map((T) => ({
      series: 'predict the mean',
      x: T,
      y: r.baseline.get(T) ?? ADDING_MEAN_BASELINE,
    })),
  ];
  const signal: FigurePoint[] = cells.flatMap((c) =>
    r.lengths.flatMap((T) => {
      const y = r.byCell.get(c)?.get(T)?.signalAtEnd;
      return y != null && Number.isFinite(y) && y > 0 ? [{ series: CELL_TITLES[c], x: T, y }] : [];
    }),
  );
  return [
    ...presetFigures(r),
    {
      id: 'mse-vs-length',
      title: 'Adding problem: final MSE against sequence length',
      kind: 'line',
      x: { title: 'sequence length T' },
      y: { title: 'evaluation MSE', log: true },
      points: mse,
      caption: `A cell has learned the problem where its line is well below "predict the mean" (1/6); the checks ask for ${BEAT_FRACTION}x.`,
    },
    {
      id: 'gradient-through-time',
      title: 'Gradient reaching the first time step, after training',
      kind: 'line',
      x: { title: 'sequence length T' },
      y: { title: '||dL/dh_1|| / ||dL/dh_T||', log: true },
      points: signal,
      caption:
        'The backpropagated signal at the first time step relative to the last, measured on the last training step (zero or NaN not drawn).',
    },
  ];
}

function presetTable(r: Results): StudyTable[] {
  if (!r.presets) return [];
  return [
    {
      id: 'presets',
      title: 'The presets against the predict-the-mean baseline',
      columns: [
        'preset',
        'cell',
        'T',
        'steps',
        'final MSE',
        'predict-the-mean MSE',
        'MSE / baseline',
      ],
      rows: [r.presets.lstm, r.presets.rnn].map((m) => [
        m.preset,
        m.cell,
        m.length,
        m.steps,
        finiteOrNull(m.mse),
        m.baseline,
        finiteOrNull(m.mse / m.baseline),
      ]),
    },
  ];
}

function table(r: Results): StudyTable {
  const rows: (string | number | null)[][] = [];
  for (const T of r.lengths) {
    const base = r.baseline.get(T) ?? Number.NaN;
    for (const [cell, byLength] of r.byCell) {
      const m = byLength.get(T);
      if (!m) continue;
      rows.push([
        T,
        CELL_TITLES[cell],
        finiteOrNull(m.mse),
        finiteOrNull(m.mse / base),
        beats(r, cell, T) ? 'yes' : 'no',
        m.signalAtInit,
        m.signalAtEnd,
      ]);
    }
  }
  return {
    id: 'mse-by-length-and-cell',
    title: 'Final MSE and gradient through time, per length and cell',
    columns: [
      'T',
      'cell',
      'final MSE',
      'MSE / baseline',
      `beats ${BEAT_FRACTION}x baseline`,
      '||dL/dh_1||/||dL/dh_T|| at init',
      'after training',
    ],
    rows,
  };
}

const signalRatio = (x: number | undefined): number | null =>
  x !== undefined && Number.isFinite(x) ? x : null;

/** The catalogue's preset `name`, at `scale` where one is given. */
function presetArm(
  name: string,
  scale: AddingProblemSettings['presetScale'],
): ExperimentSpecInput & { readonly data: { readonly kind: 'adding'; readonly length: number } } {
  const preset = presets.find((p) => p.name === name);
  const spec = preset?.spec;
  if (spec?.data?.kind !== 'adding' || spec.data.length === undefined) {
    throw new Error(`"${name}" is not an adding-problem preset of the catalogue`);
  }
  const data = { ...spec.data, length: scale?.length ?? spec.data.length };
  return {
    ...spec,
    data,
    training: { ...spec.training, ...(scale ? { steps: scale.steps } : {}) },
  };
}

async function trainPreset(
  ctx: StudyContext,
  arm: 'lstm' | 'rnn',
  name: string,
  scale: AddingProblemSettings['presetScale'],
): Promise<PresetMeasurement> {
  const spec = presetArm(name, scale);
  const run = await ctx.train(`preset-${arm}-${name}`, spec);
  return {
    preset: name,
    cell:
      run.spec.model.kind === 'rnn'
        ? `${run.spec.model.activation} RNN`
        : run.spec.model.kind.toUpperCase(),
    length: spec.data.length,
    steps: run.spec.training.steps,
    run,
    mse: run.result.evaluation?.loss ?? Number.NaN,
    baseline: run.result.evaluation?.baseline ?? ADDING_MEAN_BASELINE,
  };
}

async function run(ctx: StudyContext, s: AddingProblemSettings) {
  const cells = (Object.keys(s.cells) as CellName[]).filter((c) => s.cells[c] !== undefined);
  const units = cells.length * s.lengths.length + (s.presetArms ? 2 : 0);
  const byCell = new Map<CellName, Map<number, Measurement>>(cells.map((c) => [c, new Map()]));
  const baseline = new Map<number, number>();
  let done = 0;
  for (const T of s.lengths) {
    const data = addingData(s.seed, { length: T, samples: s.samples });
    baseline.set(T, predictTheMeanMse(data.y, EVALUATION_SAMPLES));
    for (const cell of cells) {
      const setting = s.cells[cell] as CellSetting;
      ctx.signal?.throwIfAborted();
      ctx.progress(`${CELL_TITLES[cell]}, T = ${T}`, done / units);
      const run = await ctx.train(`${cell}-T${T}`, {
        gradlab: 1,
        name: `adding-${cell}-T${T}`,
        seed: s.seed,
        data: { kind: 'adding', length: T, samples: s.samples },
        model: { ...setting.model, hiddenSize: s.hiddenSize },
        training: {
          steps: s.steps,
          batchSize: s.batchSize,
          optimizer: { kind: 'adam', lr: setting.lr },
          clip: setting.clip === null ? null : { kind: 'global-norm', maxNorm: setting.clip },
        },
        diagnostics: { every: 100 },
      });
      done++;
      byCell.get(cell)?.set(T, {
        cell,
        length: T,
        run,
        mse: run.result.evaluation?.loss ?? Number.NaN,
        signalAtInit: signalRatio(run.steps[0]?.signal?.ratioFirstToLast),
        signalAtEnd: signalRatio(run.result.final?.signal?.ratioFirstToLast),
      });
    }
  }
  let presetRuns: Results['presets'] = null;
  if (s.presetArms) {
    ctx.signal?.throwIfAborted();
    ctx.progress(`preset ${s.presetArms.lstm}`, done / units);
    const lstm = await trainPreset(ctx, 'lstm', s.presetArms.lstm, s.presetScale);
    done++;
    ctx.signal?.throwIfAborted();
    ctx.progress(`preset ${s.presetArms.rnn}`, done / units);
    const rnn = await trainPreset(ctx, 'rnn', s.presetArms.rnn, s.presetScale);
    presetRuns = { lstm, rnn };
  }
  ctx.progress('done', 1);
  const results: Results = { lengths: s.lengths, baseline, byCell, presets: presetRuns };
  return {
    checks: [
      gatedCheck(results),
      plainCheck(results),
      irnnCheck(results),
      gradientCheck(results),
      presetsCheck(results),
    ],
    figures: figures(results),
    tables: [table(results), ...presetTable(results)],
  };
}

/**
 * The four cells. Le et al. (2015) tuned the learning rate per model and clipped the IRNN's
 * gradient: ReLU units are unbounded, and an identity recurrent kernel lets a large step grow
 * the state over the sequence. Adam at 0.01 suits the tanh RNN, LSTM and GRU; the IRNN takes
 * 0.003 with its gradient clipped to global norm 1.
 */
const CELLS: Readonly<Record<CellName, CellSetting>> = {
  'tanh-rnn': {
    model: { kind: 'rnn', activation: 'tanh', recurrentInit: 'orthogonal' },
    lr: 0.01,
    clip: null,
  },
  lstm: {
    model: { kind: 'lstm', recurrentInit: 'orthogonal', forgetBias: 3 },
    lr: 0.01,
    clip: null,
  },
  gru: { model: { kind: 'gru', recurrentInit: 'orthogonal' }, lr: 0.01, clip: null },
  irnn: {
    model: { kind: 'rnn', activation: 'relu', recurrentInit: 'identity' },
    lr: 0.003,
    clip: 1,
  },
};

const full: AddingProblemSettings = {
  lengths: [10, 20, 30],
  cells: CELLS,
  hiddenSize: 32,
  steps: 300,
  batchSize: 32,
  samples: 4096,
  seed: 0,
  presetArms: { lstm: 'lstm-adding', rnn: 'rnn-adding' },
  presetScale: null,
};

export const addingProblemStudy: Study<AddingProblemSettings> = {
  name: 'adding-problem',
  title: 'The adding problem: tanh RNN, LSTM, GRU and IRNN at growing sequence length',
  reference:
    'Hochreiter & Schmidhuber (1997), Long short-term memory, Neural Computation; Cho et al. (2014), Learning phrase representations using RNN encoder-decoder for statistical machine translation, EMNLP; Le, Jaitly & Hinton (2015), A simple way to initialize recurrent networks of rectified linear units, arXiv:1504.00941.',
  claim:
    'On the adding problem a plain tanh RNN stops beating the predict-the-mean baseline (MSE 1/6) as the lag grows, while gated cells (LSTM, GRU) and the identity-initialised ReLU RNN keep beating it; at T = 50 the lstm-adding preset learns the task while rnn-adding, the same but for a plain tanh RNN, stays at the baseline.',
  checks: (Object.keys(CLAIMS) as ClaimKey[]).map((k) => ({ ...CLAIMS[k], ...DECLARED[k] })),
  settings: {
    full,
    // The presets at T = 30 for 500 steps: the LSTM learns by step 300 there (at T = 50 by step
    // 400 to 550), and the check costs about a third of the presets' own.
    fast: { ...full, lengths: [10, 20], steps: 200, presetScale: { length: 30, steps: 500 } },
  },
  scaleNote:
    'The papers train on lags of 100 to 1,000 steps for up to about a million sequences; here every cell has 32 units and trains for 300 Adam steps of 32 sequences (9,600 sequences; 200 steps in the fast run) at lengths T = 10, 20 and 30 (10 and 20 in the fast run), from seed 0. The effect appears at this scale because the tanh RNN already fails at T = 20 (it predicts the mean: MSE 0.162 against the baseline 0.166), while it solves T = 10. Longer lags need more training than the budget of 2 minutes allows: measured at T = 40 the LSTM was still at 0.086 after 300 steps, and at T = 60 at the baseline (the GRU and the IRNN solved T = 60), so the lengths stop at 30. The LSTM starts with forget bias 3 (it keeps 95% of its cell per step), close to the original LSTM of 1997, which had no forget gate; with bias 1 its MSE at T = 20 after 250 steps was still 0.091, above half the baseline. The baseline is the MSE of predicting the mean target on the 1,024 evaluation examples (1/6 in theory); the final MSE is that of the trained network on the same examples, which belong to its training set of 4,096 sequences (each seen about 2.3 times in 300 steps). The presets lstm-adding and rnn-adding are trained as the catalogue has them: T = 50, 32 units, Adam at 0.01, batches of 32, 800 steps on 8,192 sequences, the LSTM with forget bias 1 and no clipping, the RNN with recurrent weights N(0, 0.05^2); the fast run shortens them to T = 30 and 500 steps. Measured on 2 CPU cores with wasm, shared with other work (load average about 4): `gradlab run lstm-adding` ends at MSE 0.00058, 0.35% of the baseline 1/6, in 73 s; `gradlab run rnn-adding` at 0.161, 97% of it, in 13 s; inside `gradlab verify adding-problem` the same two runs took 40 s and 10 s, and the whole study 1 min 36 s. The LSTM sits at the baseline for about 400 steps, then learns within about 100 (on seeds 0, 1 and 2 by step 450, 400 and 550), so the 800 steps leave a margin; at lr 0.001 and 30 steps of 2,048 sequences, as the presets had it, neither beat the baseline (LSTM 0.161, RNN 0.291). The preset check judges against the closed-form 1/6 the run records, not the sample baseline above.',
  usesBackend: true,
  run,
};
