import {
  type BackendAdapter,
  getBackendAdapter,
  type KnownGap,
  type ProbeResult,
  registerBackend,
  safeProbe,
  unregisterBackend,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { KitContext } from './context.js';
import { CONFORMANCE_TESTS } from './ids.js';
import { knownGapProblems } from './known-gaps.js';
import { registerAdapterContract } from './suite/adapter-contract.js';
import { registerAgainstOracle } from './suite/against-oracle.js';
import { registerBackendAlone } from './suite/backend-alone.js';
import type { GroupContext } from './suite/group.js';
import { createRegister } from './suite/register.js';
import { ALWAYS_RUNS, registerUnavailable } from './suite/unavailable.js';

// The conformance suite: one describe per backend, composed of the groups of tests in suite/
// (the adapter contract, against the oracle, the backend alone, the registry's handling of an
// unavailable backend), registered in that order.

export interface ConformanceOptions {
  /** The backend under test. */
  readonly adapter: BackendAdapter;
  /**
   * The backend it is compared with, normally `cpuBackend` from @gradlab/backend-cpu. The kit
   * takes it as a parameter rather than importing it, so that @gradlab/backend-cpu, itself
   * checked by the kit, does not form a dependency cycle with it.
   */
  readonly oracle: BackendAdapter;
  /** Tests expected to fail, with why; default: adapter.knownGaps ?? []. */
  readonly knownGaps?: readonly KnownGap[];
  /**
   * Relative tolerance against the oracle; default from the float precision of the less
   * precise of the two backends: fp32 -> 1e-4, fp16 -> 5e-2 (see `toleranceFor`).
   */
  readonly tolerance?: number;
  /** Per test, default 120_000. */
  readonly timeoutMs?: number;
}

/** For the kit's own tests: register only these ids. */
export interface InternalOptions {
  readonly only?: readonly string[];
}

/** The adapter's probe as the suite is collected: registry rules, and whether it threw. */
async function probeForCollection(
  adapter: BackendAdapter,
): Promise<{ result: ProbeResult; threw: boolean }> {
  const viaRegistry = await safeProbe(adapter); // platform check, and a throw made unavailable
  if (viaRegistry.available) return { result: viaRegistry, threw: false };
  try {
    await adapter.probe();
    return { result: viaRegistry, threw: false };
  } catch {
    return { result: viaRegistry, threw: true };
  }
}

/**
 * Registers both adapters for the suite and puts the registry and tfjs's active backend back as
 * they were after it, so that a suite leaves no trace in the process that ran it.
 */
function isolateRegistry(adapter: BackendAdapter, oracle: BackendAdapter, timeoutMs: number): void {
  const previous = new Map<string, BackendAdapter | undefined>();
  let initialBackend: string | null = null;
  beforeAll(() => {
    if (adapter.name === oracle.name && adapter !== oracle) {
      throw new Error(
        `the backend under test and the oracle are both named "${adapter.name}": give the oracle another name`,
      );
    }
    initialBackend = tf.getBackend() ?? null;
    for (const name of new Set([oracle.name, adapter.name])) {
      try {
        previous.set(name, getBackendAdapter(name));
      } catch {
        previous.set(name, undefined);
      }
    }
    registerBackend(oracle);
    registerBackend(adapter);
  }, timeoutMs);

  afterAll(async () => {
    for (const [name, before] of previous) {
      if (before) registerBackend(before);
      else unregisterBackend(name);
    }
    if (initialBackend && tf.getBackend() !== initialBackend) {
      await tf.setBackend(initialBackend);
    }
  }, timeoutMs);
}

export function registerConformance(
  options: ConformanceOptions,
  internal: InternalOptions = {},
): void {
  const { adapter } = options;
  const { oracle } = options;
  const knownGaps = options.knownGaps ?? adapter.knownGaps ?? [];
  const timeoutMs = options.timeoutMs ?? 120_000;
  const only = internal.only ? new Set(internal.only) : null;

  describe(`conformance: ${adapter.name}`, async () => {
    const ctx = new KitContext(adapter, oracle, options.tolerance);
    const probe = await probeForCollection(adapter);
    const skipReason = probe.result.available
      ? null
      : `${adapter.name} is unavailable here: ${probe.result.reason}`;
    if (!probe.result.available) {
      console.warn(
        `[@gradlab/testkit] ${adapter.name} is not available here: ${probe.result.reason}. To fix: ${probe.result.hint}. Its conformance tests are skipped (all but '${ALWAYS_RUNS}').`,
      );
    }
    // A probe that throws is a bug the skip must not hide.
    const exempt = new Set<string>([ALWAYS_RUNS, ...(probe.threw ? ['adapter/probe'] : [])]);
    isolateRegistry(adapter, oracle, timeoutMs);

    const problems = knownGapProblems(knownGaps);
    if (problems.length > 0 && (!only || only.has('knownGaps'))) {
      it(`knownGaps of ${adapter.name} are invalid`, () => {
        throw new Error(
          `knownGaps: ${problems.join('; ')}. Valid ids: ${CONFORMANCE_TESTS.join(', ')}`,
        );
      });
    }
    const gaps = new Map(knownGaps.map((g) => [g.test, g]));

    const group: GroupContext = {
      register: createRegister({
        adapterName: adapter.name,
        only,
        skipReason,
        exempt,
        gaps,
        timeoutMs,
      }),
      ctx,
      adapter,
    };
    registerAdapterContract(group);
    registerAgainstOracle(group);
    registerBackendAlone(group);
    registerUnavailable(group);
  });
}
