import { formatNumber, type RunEvent, type RunListener } from '@gradlab/core';
import cliProgress from 'cli-progress';
import { type BarVariant, barLayout } from './bar-layout.js';
import { formatEta } from './eta.js';
import { outputWidth } from './width.js';

/**
 * The run bar's ways to fit a narrow terminal, each with less than the one before: the word
 * "steps" goes first, then the ETA; loss, verdict and ms/step always stay.
 */
export function runBarVariants(total: number): BarVariant[] {
  const tail = ' | loss {loss} | {verdict} | {ms} ms/step';
  // The widest each field gets: "-1.234e+10" or "Infinity", "non-finite", "12m 30s", "99999".
  const steps = 2 * String(total).length + 1;
  const tailText =
    ' | loss '.length + 10 + ' | '.length + 10 + ' | '.length + 5 + ' ms/step'.length;
  const eta = ' | ETA '.length + 8;
  return [
    {
      format: ` {bar} {value}/{total} steps | ETA {eta_formatted}${tail}`,
      widestText: steps + ' steps'.length + eta + tailText,
    },
    {
      format: ` {bar} {value}/{total} | ETA {eta_formatted}${tail}`,
      widestText: steps + eta + tailText,
    },
    { format: ` {bar} {value}/{total}${tail}`, widestText: steps + tailText },
  ];
}

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
      stream.write(
        `pre-trained ${e.layer}: reconstruction loss ${formatNumber(e.loss, { digits: 4 })}\n`,
      );
    }
  };
  let verdict = 'healthy';
  if (stream.isTTY) {
    const layout = barLayout(runBarVariants(total), outputWidth(stream));
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: layout.format,
        barsize: layout.barsize,
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
        bar.update(e.step, {
          loss: formatNumber(e.loss, { digits: 4 }),
          verdict,
          ms: e.ms.toFixed(0),
        });
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
          `step ${e.step}/${total}  loss ${formatNumber(e.loss, { digits: 4 })}  ${verdict}  ${e.ms.toFixed(0)} ms\n`,
        );
      }
    },
    stop() {},
  };
}
