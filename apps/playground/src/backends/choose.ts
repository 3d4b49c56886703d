import type { BackendStatus } from '@gradlab/core';

/**
 * The backend a first visit runs on: the available one with the highest priority its probe
 * reports, as `useBackend('auto')` ranks them (WebGPU or WebGL on a software renderer rank
 * themselves below wasm). Null when none is available.
 */
export function bestAvailable(statuses: readonly BackendStatus[]): string | null {
  let best: { name: string; priority: number } | null = null;
  for (const s of statuses) {
    if (!s.probe.available) continue;
    const priority = s.probe.priority ?? s.priority;
    if (!best || priority > best.priority) best = { name: s.name, priority };
  }
  return best?.name ?? null;
}

/** The statuses in the playground's order of backends; names it does not know are left out. */
export function inOrder(
  statuses: readonly BackendStatus[],
  names: readonly string[],
): BackendStatus[] {
  return names.flatMap((n) => statuses.filter((s) => s.name === n));
}
