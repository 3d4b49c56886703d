import {
  type BackendAdapter,
  isGradlabError,
  listBackends,
  probeBackends,
  registerBackend,
  unregisterBackend,
  useBackend,
} from '@gradlab/core';
import { expect } from 'vitest';
import type { ConformanceTestId } from '../ids.js';
import type { GroupContext } from './group.js';
import { message } from './register.js';

// 'probe/unavailable': the registry's handling of an unavailable backend, through a copy of the
// adapter whose probe says no. It needs no working backend, so it runs even when the rest of
// the suite is skipped.

/** The test that is never skipped: it needs no working backend. */
export const ALWAYS_RUNS: ConformanceTestId = 'probe/unavailable';

async function checkUnavailable(adapter: BackendAdapter): Promise<void> {
  const reason = `the conformance kit's copy of ${adapter.name} reports its device missing`;
  const hint = 'nothing to fix: this is the registry test of @gradlab/testkit';
  const name = `${adapter.name}-probe-unavailable`;
  let activated = false;
  const top = Math.max(...listBackends().map((a) => a.priority), adapter.priority) + 1;
  const wrapped: BackendAdapter = {
    specVersion: adapter.specVersion,
    name,
    priority: top,
    platforms: adapter.platforms,
    description: `${adapter.description} (wrapped by the conformance kit: probe unavailable)`,
    probe: async () => ({ available: false, reason, hint }),
    activate: async () => {
      activated = true;
      return adapter.activate();
    },
    release: () => adapter.release(),
  };
  registerBackend(wrapped);
  try {
    const status = (await probeBackends()).find((s) => s.name === name);
    expect(status?.probe, 'probeBackends()').toEqual({ available: false, reason, hint });

    const byName = await useBackend(name).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isGradlabError(byName) && byName.code, `useBackend('${name}')`).toBe(
      'BACKEND_UNAVAILABLE',
    );
    expect(message(byName)).toContain(reason);
    expect(message(byName)).toContain(hint);

    const auto = await useBackend('auto').then(
      (s) => s,
      (e: unknown) => e,
    );
    if (auto instanceof Error) {
      // Nothing else is available here either: the error still names it and its reason.
      expect(isGradlabError(auto) && auto.code, auto.message).toBe('BACKEND_UNAVAILABLE');
      expect(auto.message).toContain(`${name}: ${reason}`);
    } else {
      const selection = auto as Awaited<ReturnType<typeof useBackend>>;
      expect(selection.skipped[0], "useBackend('auto') skipped it first").toEqual({
        name,
        reason,
      });
      expect(selection.info.name).not.toBe(name);
    }
    expect(activated, 'activate() of an unavailable backend was called').toBe(false);
  } finally {
    unregisterBackend(name);
  }
}

export function registerUnavailable({ register, adapter }: GroupContext): void {
  register(ALWAYS_RUNS, () => checkUnavailable(adapter));
}
