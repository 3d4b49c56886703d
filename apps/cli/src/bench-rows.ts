/**
 * The rows `gradlab bench` measures: what the commands compute, the tables draw and --json
 * prints. Their own module, so that render/ and commands/ both depend on it and not on each
 * other.
 */
export interface BenchRow {
  readonly backend: string;
  readonly device: string;
  readonly mode: string;
  readonly what: string;
  readonly msPerStep: number;
  /** Relative to the same backend's bare mode; null for bare itself. */
  readonly overhead: number | null;
  /** ms/step over PyTorch's in the same mode (bare, norms); null without --vs pytorch. */
  readonly vsPytorch: number | null;
  readonly samples: number;
}

export interface BenchSweepRow {
  readonly workers: number;
  /** Median wall time of the whole `gradlab sweep` command, start to exit, in seconds. */
  readonly seconds: number;
  readonly samples: readonly number[];
  /** The first worker count's median over this one's: 2 means twice as fast. */
  readonly speedup: number;
  readonly cellsPerSecond: number;
  /**
   * The machine's ceiling for this many workers: that many warm processes running the sweep's
   * first cell at once, over one process's throughput (commands/sweep-ceiling.ts).
   */
  readonly ceiling: number;
}
