import {
  createGradientMonitor,
  type GradientMonitor,
  GradlabError,
  type MetricsRow,
  problemTracker,
  type RunListener,
  type StepDiagnostics,
  type Thresholds,
  type Verdict,
} from '@gradlab/core';
import type { TensorBoardWriter } from '@gradlab/export';
import * as tf from '@tensorflow/tfjs-core';
import { Callback, type LayersModel } from '@tensorflow/tfjs-layers';
import { activeBackend, describeFit } from './describe-fit.js';
import { captureFirstBatch, type ProbeBatch } from './first-batch-probe.js';
import { type Layer, layerChain } from './layer-chain.js';
import { fitResult } from './run-result.js';
import { type StopOn, stopReason } from './stop-rule.js';

/** What `onVerdict` receives after every probe. */
export interface GradlabVerdictEvent {
  /** Batches trained so far in this fit (1-based): the record's step. */
  readonly step: number;
  readonly epoch: number;
  /** The batch within its epoch (0-based, as tfjs counts). */
  readonly batch: number;
  readonly verdict: Verdict;
  /** The previous probe's verdict (null at the first). */
  readonly previous: Verdict | null;
  readonly diagnostics: StepDiagnostics;
  /** Why the callback stopped training after this probe, or null. */
  readonly stopped: string | null;
}

export interface GradlabCallbackOptions {
  /** Probe every N batches (and the first); default 10. */
  readonly every?: number;
  /** The batch to measure on; default: a copy of fit's first batch. */
  readonly probe?: ProbeBatch;
  /** Called after every probe with its verdict and diagnostics. */
  readonly onVerdict?: (event: GradlabVerdictEvent) => void;
  /**
   * One line when the verdict changes or training is stopped: true for console.log, or a
   * function of the line. Quiet by default.
   */
  readonly log?: boolean | ((line: string) => void);
  /** Stop training on non-finite gradients (default), also on exploding ones, or never. */
  readonly stopOn?: StopOn;
  /** A run directory to write (Node): an ordinary gradlab record that `gradlab report` reads. */
  readonly out?: string;
  /** A directory for a TensorBoard event file, written as the fit goes (Node). */
  readonly tensorboard?: string;
  /** The record's spec name; default "tfjs-layers-fit". */
  readonly name?: string;
  readonly thresholds?: Partial<Thresholds>;
}

type Logs = { [key: string]: number | tf.Scalar };

async function logValue(logs: Logs | undefined, ...keys: string[]): Promise<number | null> {
  for (const k of keys) {
    const v = logs?.[k];
    if (typeof v === 'number') return v;
    if (v instanceof tf.Tensor) return (await v.data())[0] as number;
  }
  return null;
}

/** Everything one fit holds, from onTrainBegin to onTrainEnd. */
interface FitState {
  readonly monitor: GradientMonitor;
  readonly loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
  readonly tracker: ReturnType<typeof problemTracker>;
  readonly started: number;
  readonly stepMs: number[];
  capture: ReturnType<typeof captureFirstBatch> | null;
  probe: ProbeBatch | null;
  /** Whether the probe is our copy (the first batch) and ours to dispose. */
  ownsProbe: boolean;
  record: RunListener | null;
  abandonRecord: (() => Promise<void>) | null;
  tensorboard: TensorBoardWriter | null;
  step: number;
  epoch: number;
  batchStart: number;
  final: StepDiagnostics | null;
  previous: Verdict | null;
  firstLoss: number | null;
  lastLoss: number | null;
  stopped: string | null;
}

/**
 * A tfjs-layers callback that watches the gradients while `model.fit` trains: every `every`
 * batches it measures, on a probe batch, what gradlab measures in its own runs (per-layer
 * gradient norms, gradient/weight ratios, activation statistics, NaN/Inf counts) with core's
 * gradient monitor, and judges it with core's verdict rules. It never changes the weights: the
 * probe computes gradients and reads them, and fit's own step does the training.
 */
export class GradlabCallback extends Callback {
  private readonly options: GradlabCallbackOptions;
  private readonly every: number;
  private fit: FitState | null = null;

  constructor(options: GradlabCallbackOptions = {}) {
    super();
    const every = options.every ?? 10;
    if (!Number.isInteger(every) || every < 1) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `gradlabCallback: every must be a positive integer, not ${every}`,
      );
    }
    this.options = options;
    this.every = every;
  }

  private log(line: string): void {
    const { log } = this.options;
    if (log === true) console.log(`gradlab: ${line}`);
    else if (typeof log === 'function') log(line);
  }

  override async onTrainBegin(): Promise<void> {
    const model = this.model as LayersModel;
    const layers = layerChain(model);
    const lossFn = (model as unknown as { lossFunctions?: FitState['loss'][] }).lossFunctions?.[0];
    if (!lossFn)
      throw new GradlabError('INVALID_ARGUMENT', 'gradlabCallback: compile the model before fit');
    const { probe } = this.options;
    const state: FitState = {
      monitor: createGradientMonitor({ layers }, { thresholds: this.options.thresholds ?? {} }),
      loss: lossFn,
      tracker: problemTracker(),
      started: performance.now(),
      stepMs: [],
      capture: probe ? null : captureFirstBatch(model, layers[0] as Layer),
      probe: probe ?? null,
      ownsProbe: !probe,
      record: null,
      abandonRecord: null,
      tensorboard: null,
      step: 0,
      epoch: 0,
      batchStart: 0,
      final: null,
      previous: null,
      firstLoss: null,
      lastLoss: null,
      stopped: null,
    };
    this.fit = state;
    try {
      await this.openOutputs(state, model, layers);
    } catch (e) {
      await this.release(state);
      throw e;
    }
  }

  /** The record and the event file, loaded only when asked for: the rest runs in a browser. */
  private async openOutputs(state: FitState, model: LayersModel, layers: Layer[]): Promise<void> {
    const { out, tensorboard, name } = this.options;
    const p = this.params as {
      epochs?: number;
      samples?: number;
      batchSize?: number;
      steps?: number;
    };
    const batchSize = p.batchSize ?? 32;
    const samples = p.samples ?? batchSize;
    const steps = (p.epochs ?? 1) * (p.steps ?? Math.ceil(samples / batchSize));
    if (out !== undefined) {
      const { createRunRecorder } = await import('@gradlab/core/node');
      const spec = describeFit(model, layers, {
        name: name ?? 'tfjs-layers-fit',
        steps,
        batchSize,
        samples,
        every: this.every,
      });
      const recorder = await createRunRecorder(out, spec, activeBackend());
      state.record = recorder.listener;
      state.abandonRecord = () => recorder.abandon();
    }
    if (tensorboard !== undefined) {
      const [{ mkdir }, { openTensorBoardWriter }] = await Promise.all([
        import('node:fs/promises'),
        import('@gradlab/export'),
      ]);
      await mkdir(tensorboard, { recursive: true });
      state.tensorboard = await openTensorBoardWriter(tensorboard);
    }
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    if (this.fit) this.fit.epoch = epoch;
  }

  override async onBatchBegin(): Promise<void> {
    if (this.fit) this.fit.batchStart = performance.now();
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    const state = this.fit;
    if (!state) return;
    try {
      await this.afterBatch(state, batch, logs);
    } catch (e) {
      await this.release(state);
      await state.abandonRecord?.();
      this.fit = null;
      throw e;
    }
  }

  private async afterBatch(state: FitState, batch: number, logs?: Logs): Promise<void> {
    state.step += 1;
    const ms = performance.now() - state.batchStart;
    state.stepMs.push(ms);
    if (state.capture) {
      state.probe = state.capture.finish();
      state.capture = null;
    }
    const batchLoss = await logValue(logs, 'loss');
    state.firstLoss ??= batchLoss;
    state.lastLoss = batchLoss;
    // A non-finite batch loss is probed at once, to say which layer it came from.
    const due = state.step === 1 || state.step % this.every === 0;
    if (!state.probe || (!due && (batchLoss === null || Number.isFinite(batchLoss)))) return;
    const measured = await state.monitor.step({
      x: state.probe.x,
      y: state.probe.y,
      loss: state.loss,
    });
    const row: MetricsRow = {
      ...measured,
      step: state.step,
      // fit's metrics are of the training batch; accuracy only where fit computes it.
      accuracy: await logValue(logs, 'acc', 'accuracy'),
      ms: Number(ms.toFixed(3)),
    };
    state.tracker.note(row);
    state.final = row;
    const where = { step: state.step, epoch: state.epoch, batch };
    const stopped = stopReason(row, this.options.stopOn ?? 'non-finite', where);
    await state.record?.({
      type: 'step',
      step: row.step,
      loss: row.loss,
      ms: row.ms,
      diagnostics: row,
    });
    await state.tensorboard?.writeRow(row);
    this.options.onVerdict?.({
      ...where,
      verdict: row.verdict,
      previous: state.previous,
      diagnostics: row,
      stopped,
    });
    if (row.verdict !== state.previous) {
      const why = row.evidence[0]?.summary;
      this.log(
        `step ${state.step} (epoch ${state.epoch + 1}, batch ${batch + 1}): ${row.verdict}${why ? `: ${why}` : ''}`,
      );
    }
    state.previous = row.verdict;
    if (stopped) {
      state.stopped = stopped;
      this.log(stopped);
      (this.model as LayersModel).stopTraining = true;
    }
  }

  override async onTrainEnd(): Promise<void> {
    const state = this.fit;
    if (!state) return;
    this.fit = null;
    await this.release(state);
    await state.record?.({
      type: 'finished',
      result: fitResult({
        stepsCompleted: state.step,
        backend: tf.getBackend(),
        final: state.final,
        worstVerdict: state.tracker.worst,
        firstProblems: state.tracker.firstProblems,
        losses: { first: state.firstLoss, last: state.lastLoss },
        stepMs: state.stepMs,
        totalMs: performance.now() - state.started,
        stopped: state.stopped,
      }),
    });
  }

  /** Puts the model back, disposes our copy of the probe, closes the event file. */
  private async release(state: FitState): Promise<void> {
    const captured = state.capture?.finish();
    state.capture = null;
    if (captured) tf.dispose([captured.x, captured.y]);
    if (state.ownsProbe && state.probe) tf.dispose([state.probe.x, state.probe.y]);
    state.probe = null;
    await state.tensorboard?.close();
    state.tensorboard = null;
  }
}

/**
 * `model.fit(x, y, { callbacks: [gradlabCallback({ every: 10, out: 'runs/my-fit' })] })`:
 * see GradlabCallback and docs/integrations.md.
 */
export function gradlabCallback(options: GradlabCallbackOptions = {}): GradlabCallback {
  return new GradlabCallback(options);
}
