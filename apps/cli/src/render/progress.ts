import type { RunEvent, RunListener } from '@gradlab/core';
import cliProgress from 'cli-progress';
import { formatEta } from './eta.js';

/**
 * Live progress on stderr: a bar with the loss, the current verdict and the step time on a
 * terminal; on anything else (CI logs, pipes) a plain line at every tenth of the run.
 */
export function progressListener(
  stream: NodeJS.WriteStream,
  total: number,
  pretrainSteps = 0,
): { listener: RunListener; stop(): void } {
  // Pre-training comes before the bar: one line per layer when its autoencoder is done.
  const pretrainLine = (e: RunEvent) => {
    if (e.type === 'pretrain' && e.step === pretrainSteps) {
      stream.write(`pre-trained ${e.layer}: reconstruction loss ${e.loss.toPrecision(4)}\n`);
    }
  };
  let verdict = 'healthy';
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          ' {bar} {value}/{total} steps | ETA {eta_formatted} | loss {loss} | {verdict} | {ms} ms/step',
        formatTime: formatEta,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      listener(e: RunEvent) {
        pretrainLine(e);
        if (e.type !== 'step') return;
        if (!started) {
          bar.start(total, 0, { loss: '-', verdict, ms: '-' });
          started = true;
        }
        if (e.diagnostics) verdict = e.diagnostics.verdict;
        bar.update(e.step, { loss: e.loss.toPrecision(4), verdict, ms: e.ms.toFixed(0) });
      },
      stop: () => started && bar.stop(),
    };
  }
  const every = Math.max(1, Math.round(total / 10));
  return {
    listener(e: RunEvent) {
      pretrainLine(e);
      if (e.type !== 'step') return;
      if (e.diagnostics) verdict = e.diagnostics.verdict;
      if (e.step % every === 0 || e.step === total || e.step === 1) {
        stream.write(
          `step ${e.step}/${total}  loss ${e.loss.toPrecision(4)}  ${verdict}  ${e.ms.toFixed(0)} ms\n`,
        );
      }
    },
    stop() {},
  };
}
