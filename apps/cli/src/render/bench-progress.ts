import cliProgress from 'cli-progress';
import { type BarVariant, barLayout } from './bar-layout.js';
import { formatEta } from './eta.js';
import { clip, outputWidth } from './width.js';

/** The room "what just finished" is promised: "pytorch round 100/100 running" whole. */
const WHAT = 29;
/** cli-progress's widest ETA ("123h59m"), and "--" before it has one. */
const ETA = 8;

/**
 * The bench bar's ways to fit a narrow terminal: the bar shrinks, then the word "runs" goes,
 * then the bar, and what just finished is cut to what is left. The runs done and the ETA
 * always stay.
 */
export function benchBarVariants(total: number): BarVariant[] {
  const counts = 2 * String(total).length + 1;
  const tail = ' | ETA '.length + ETA + ' | '.length + WHAT;
  return [
    {
      format: ' {bar} {value}/{total} runs | ETA {eta_formatted} | {what}',
      widestText: counts + ' runs'.length + tail,
      flexible: WHAT,
    },
    {
      format: ' {bar} {value}/{total} | ETA {eta_formatted} | {what}',
      widestText: counts + tail,
      flexible: WHAT,
    },
  ];
}

export interface BenchProgress {
  /** One timed run is done; `what` says which. */
  done(what: string): void;
  /** What is running now, the count unchanged (PyTorch's round, timed as one). */
  running(what: string): void;
  stop(): void;
}

/**
 * `gradlab bench`'s progress on stderr: one bar (with ETA) over every timed run on a terminal,
 * within its width; a line per run in logs; nothing when quiet.
 */
export function benchProgress(stream: NodeJS.WriteStream | null, total: number): BenchProgress {
  if (!stream) return { done() {}, running() {}, stop() {} };
  if (!stream.isTTY) {
    return { done: (what) => stream.write(`  ${what}\n`), running() {}, stop() {} };
  }
  const layout = barLayout(benchBarVariants(total), outputWidth(stream));
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: layout.format,
      barsize: layout.barsize,
      formatTime: formatEta,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const what = (w: string) => ({ what: clip(w, layout.flexRoom) });
  bar.start(total, 0, what(''));
  return {
    done: (w) => bar.increment(what(w)),
    running: (w) => bar.update(what(w)),
    stop: () => bar.stop(),
  };
}
