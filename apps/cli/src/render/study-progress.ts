import type { RunListener } from '@gradlab/core';
import cliProgress from 'cli-progress';
import { type BarVariant, barLayout } from './bar-layout.js';
import { formatEta } from './eta.js';
import { clip, outputWidth } from './width.js';

export interface StudyProgress {
  /** The study's own progress: what it is doing, and the fraction done (0..1). */
  progress(message: string, fraction?: number): void;
  /** Follows one training run of the study, step by step. */
  runListener(label: string, steps: number): RunListener;
  /** Removes the bar, so that the study's result prints on a clean line. */
  stop(): void;
}

/** The room the study's message is promised before the bar grows past its narrowest. */
const MESSAGE = 24;
/** cli-progress's widest ETA ("123h59m"), and "--" before it has one. */
const ETA = 8;

/**
 * The study bar's ways to fit a narrow terminal: the message is cut first (to no less than
 * MESSAGE columns), then dropped, then the bar goes. The study's position and name, the
 * percentage and the ETA always stay.
 */
export function studyBarVariants(position: string): BarVariant[] {
  const head = ` ${position}`;
  const core = head.length + '100%'.length + ' | ETA '.length + ETA;
  const counts = `${head} {bar} {percentage}% | ETA {eta_formatted}`;
  return [
    {
      format: `${counts} | {message}`,
      widestText: core + ' | '.length + MESSAGE,
      flexible: MESSAGE,
    },
    { format: counts, widestText: core },
  ];
}

const SILENT: StudyProgress = {
  progress() {},
  runListener: () => () => {},
  stop() {},
};

/**
 * Progress of one study on stderr. On a terminal, a bar with ETA over the fraction the study
 * reports, and what it is doing (its message, or the training step of its current run); the
 * bar is cleared when the study ends. Elsewhere (CI logs, pipes) one line when the study starts
 * and one per training run. `null` stream: silent (--quiet, --json).
 */
export function studyProgress(
  stream: NodeJS.WriteStream | null,
  name: string,
  index: number,
  count: number,
): StudyProgress {
  if (!stream) return SILENT;
  const position = `[${index + 1}/${count}] ${name}`;
  if (!stream.isTTY) {
    stream.write(`${position}...\n`);
    return {
      progress() {},
      runListener: (label, steps) => (e) => {
        if (e.type === 'start') stream.write(`  training ${label} (${steps} steps)\n`);
      },
      stop() {},
    };
  }
  const layout = barLayout(studyBarVariants(position), outputWidth(stream));
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: layout.format,
      barsize: layout.barsize,
      formatTime: formatEta,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  // Percent of the study; it only moves forward, whatever order messages come in.
  let value = 0;
  const message = (m: string) => ({ message: clip(m, layout.flexRoom) });
  bar.start(100, 0, message('starting'));
  return {
    progress(text, fraction) {
      if (typeof fraction === 'number' && Number.isFinite(fraction)) {
        value = Math.max(value, Math.min(100, Math.round(fraction * 100)));
      }
      bar.update(value, message(text));
    },
    runListener: (label, steps) => (e) => {
      if (e.type === 'step' && (e.step === 1 || e.step % 5 === 0 || e.step === steps)) {
        bar.update(value, message(`${label}: step ${e.step}/${steps}`));
      }
    },
    stop: () => bar.stop(),
  };
}
