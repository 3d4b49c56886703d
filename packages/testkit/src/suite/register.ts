import type { KnownGap } from '@gradlab/core';
import { it } from 'vitest';
import type { ConformanceTestId } from '../ids.js';

/** Registers one conformance test under its id: run, skipped, or expected to fail (a known gap). */
export type RegisterTest = (id: ConformanceTestId, body: () => Promise<void>) => void;

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Rejects when `fn` has not settled after `ms`. */
async function withTimeout(fn: () => Promise<void>, ms: number, id: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`'${id}' timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RegisterOptions {
  readonly adapterName: string;
  /** Register only these ids (the kit's own tests); null: all. */
  readonly only: ReadonlySet<string> | null;
  /** Why every test but the exempt ones is skipped; null when the backend is available. */
  readonly skipReason: string | null;
  readonly exempt: ReadonlySet<string>;
  readonly gaps: ReadonlyMap<string, KnownGap>;
  readonly timeoutMs: number;
}

/**
 * The one place that decides how a test is registered, so that every group of tests gets the
 * same skipping, known-gap inversion and time limit.
 */
export function createRegister(o: RegisterOptions): RegisterTest {
  const { adapterName: name, only, skipReason, exempt, gaps, timeoutMs } = o;
  return (id, body) => {
    if (only && !only.has(id)) return;
    if (skipReason && !exempt.has(id)) {
      it.skip(`${id} (skipped: ${skipReason})`, () => {});
      return;
    }
    const gap = gaps.get(id);
    if (!gap) {
      it(id, { timeout: timeoutMs }, body);
      return;
    }
    it(`${id} (known gap: ${gap.reason})`, { timeout: timeoutMs + 10_000 }, async () => {
      const failure = await withTimeout(body, timeoutMs, id).then(
        () => null,
        (e: unknown) => e ?? new Error('rejected without a reason'),
      );
      if (failure === null) {
        throw new Error(`known gap '${id}' now passes: remove it from knownGaps`);
      }
      console.info(
        `[@gradlab/testkit] known gap '${id}' of ${name} fails as expected (${gap.reason}): ${message(failure).split('\n')[0]}`,
      );
    });
  };
}
