import type { RunListener } from '@gradlab/core';
import cliProgress from 'cli-progress';
import { formatEta } from './eta.js';

export interface StudyProgress {
  /** The study's own progress: what it is doing, and the fraction done (0..1). */
  progress(message: string, fraction?: number): void;
  /** Follows one training run of the study, step by step. */
  runListener(label: string, steps: number): RunListener;
  /** Removes the bar, so that the study's result prints on a clean line. */
  stop(): void;
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
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ` ${position} {bar} {percentage}% | ETA {eta_formatted} | {message}`,
      formatTime: formatEta,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  // Percent of the study; it only moves forward, whatever order messages come in.
  let value = 0;
  bar.start(100, 0, { message: 'starting' });
  return {
    progress(message, fraction) {
      if (typeof fraction === 'number' && Number.isFinite(fraction)) {
        value = Math.max(value, Math.min(100, Math.round(fraction * 100)));
      }
      bar.update(value, { message });
    },
    runListener: (label, steps) => (e) => {
      if (e.type === 'step' && (e.step === 1 || e.step % 5 === 0 || e.step === steps)) {
        bar.update(value, { message: `${label}: step ${e.step}/${steps}` });
      }
    },
    stop: () => bar.stop(),
  };
}
