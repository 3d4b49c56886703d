import type { BackendAdapter, BackendInfo } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { Mismatches, toleranceFor } from './compare.js';

/** What every test of one suite shares: the two adapters and the tolerance between them. */
export class KitContext {
  private toleranceOnce: Promise<number> | null = null;
  readonly labels: { readonly expected: string; readonly actual: string };

  constructor(
    readonly adapter: BackendAdapter,
    readonly oracle: BackendAdapter,
    private readonly fixedTolerance: number | undefined,
  ) {
    this.labels =
      adapter.name === oracle.name
        ? { expected: `${oracle.name} (oracle)`, actual: adapter.name }
        : { expected: oracle.name, actual: adapter.name };
  }

  /** Makes the oracle tfjs's active backend. */
  onOracle(): Promise<BackendInfo> {
    return activate(this.oracle);
  }

  /** Makes the backend under test tfjs's active backend. */
  onBackend(): Promise<BackendInfo> {
    return activate(this.adapter);
  }

  /**
   * The relative tolerance: the option if given, else the rule of `toleranceFor` applied to
   * the less precise of the two backends (activating both once to learn their precision).
   */
  tolerance(): Promise<number> {
    if (this.fixedTolerance !== undefined) return Promise.resolve(this.fixedTolerance);
    this.toleranceOnce ??= (async () => {
      const o = await this.onOracle();
      const a = await this.onBackend();
      return Math.max(toleranceFor(o), toleranceFor(a));
    })().catch((e) => {
      this.toleranceOnce = null;
      throw e;
    });
    return this.toleranceOnce;
  }

  async mismatches(): Promise<Mismatches> {
    return new Mismatches(await this.tolerance(), this.labels);
  }

  /** Runs `fn` on the oracle, then on the backend under test. */
  async onBoth<T>(fn: () => Promise<T>): Promise<{ expected: T; actual: T }> {
    await this.onOracle();
    const expected = await fn();
    await this.onBackend();
    const actual = await fn();
    return { expected, actual };
  }
}

async function activate(adapter: BackendAdapter): Promise<BackendInfo> {
  const info = await adapter.activate();
  if (tf.getBackend() !== info.tfjsBackend) {
    throw new Error(
      `${adapter.name}.activate() resolved, but tfjs's active backend is "${tf.getBackend()}", not "${info.tfjsBackend}"`,
    );
  }
  return info;
}
