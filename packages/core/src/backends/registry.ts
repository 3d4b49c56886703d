import { GradlabError } from '../errors.js';
import { suggestField } from '../spec/unknown-fields.js';
import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  type BackendInfo,
  currentPlatform,
  type ProbeResult,
} from './adapter.js';

/**
 * The backend registry. Registering stores the adapter and nothing else; the tfjs backend is
 * imported and initialised on first activation. As in onnxruntime-web's registerBackend, a
 * backend that cannot run here is skipped with its reason, never a crash.
 */
const adapters = new Map<string, BackendAdapter>();

export function registerBackend(adapter: BackendAdapter): void {
  if (adapter.specVersion !== BACKEND_SPEC_VERSION) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `backend "${adapter.name}" implements adapter spec version ${String(adapter.specVersion)}; this @gradlab/core supports version ${BACKEND_SPEC_VERSION}. Upgrade the backend package or @gradlab/core so they match.`,
    );
  }
  adapters.set(adapter.name, adapter);
}

export function unregisterBackend(name: string): void {
  adapters.delete(name);
}

/** Registered adapters, highest priority first. */
export function listBackends(): BackendAdapter[] {
  return [...adapters.values()].sort((a, b) => b.priority - a.priority);
}

export function getBackendAdapter(name: string): BackendAdapter {
  const adapter = adapters.get(name);
  if (!adapter) {
    const known = [...adapters.keys()];
    const guess = suggestField(name, [...known, 'auto']);
    throw new GradlabError(
      'UNKNOWN_BACKEND',
      `unknown backend "${name}".${guess ? ` Did you mean "${guess}"?` : ''} Known backends: ${known.length ? known.join(', ') : 'none registered'}, or "auto". Run \`gradlab backends\` to see which are available here.`,
    );
  }
  return adapter;
}

/** Probes an adapter without ever throwing; a probe that throws counts as unavailable. */
export async function safeProbe(adapter: BackendAdapter): Promise<ProbeResult> {
  const platform = currentPlatform();
  if (!adapter.platforms.includes(platform)) {
    return {
      available: false,
      reason: `runs on ${adapter.platforms.join(' and ')}, not ${platform}`,
      hint: `use it from ${adapter.platforms.join(' or ')}`,
    };
  }
  try {
    return await adapter.probe();
  } catch (e) {
    return {
      available: false,
      reason: `its probe failed: ${e instanceof Error ? e.message : String(e)}`,
      hint: 'report this to the backend package: probe() must not throw',
    };
  }
}

export interface BackendStatus {
  readonly name: string;
  readonly priority: number;
  readonly description: string;
  readonly probe: ProbeResult;
}

/** Every registered backend with its probe, highest priority first. */
export async function probeBackends(): Promise<BackendStatus[]> {
  return Promise.all(
    listBackends().map(async (a) => ({
      name: a.name,
      priority: a.priority,
      description: a.description,
      probe: await safeProbe(a),
    })),
  );
}

export interface Selection {
  readonly info: BackendInfo;
  /** Why higher-priority backends were passed over (for "auto"). */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Activates a backend by name, or with "auto" the highest-priority one that probes available
 * and activates. Throws GradlabError: UNKNOWN_BACKEND, BACKEND_UNAVAILABLE (with the reason and
 * the hint) or BACKEND_INIT_FAILED.
 */
export async function useBackend(name: string): Promise<Selection> {
  if (name !== 'auto') {
    const adapter = getBackendAdapter(name);
    const probe = await safeProbe(adapter);
    if (!probe.available) {
      throw new GradlabError(
        'BACKEND_UNAVAILABLE',
        `backend "${name}" is not available here: ${probe.reason}. To fix: ${probe.hint}.`,
      );
    }
    return { info: await adapter.activate(), skipped: [] };
  }
  // Probe in order of the adapters' own priorities, and only as far as needed: a probe can
  // lower its adapter's priority (a software WebGPU adapter ranks itself below wasm) but never
  // raise it, so once an available backend outranks every adapter not yet probed, the rest
  // are never probed (a WebGPU probe starts Dawn, which prints its adapter warnings).
  const skipped: { name: string; reason: string }[] = [];
  const order = listBackends();
  const candidates: { adapter: BackendAdapter; priority: number }[] = [];
  let next = 0;
  for (;;) {
    while (
      next < order.length &&
      (candidates.length === 0 ||
        (candidates[0] as { priority: number }).priority < (order[next] as BackendAdapter).priority)
    ) {
      const adapter = order[next++] as BackendAdapter;
      const probe = await safeProbe(adapter);
      if (!probe.available) {
        skipped.push({ name: adapter.name, reason: probe.reason });
        continue;
      }
      candidates.push({
        adapter,
        priority: Math.min(probe.priority ?? adapter.priority, adapter.priority),
      });
      candidates.sort((a, b) => b.priority - a.priority);
    }
    const best = candidates.shift();
    if (!best) break;
    try {
      return { info: await best.adapter.activate(), skipped };
    } catch (e) {
      skipped.push({ name: best.adapter.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new GradlabError(
    'BACKEND_UNAVAILABLE',
    `no backend is available here (${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ') || 'none registered'}). Register one, e.g. \`registerBackend(cpuBackend)\` from @gradlab/backend-cpu.`,
  );
}
