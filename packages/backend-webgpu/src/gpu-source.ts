import { currentPlatform } from '@gradlab/core';
import { importDawn } from './dawn.js';
import type { DawnModule, GpuLike } from './gpu-types.js';
import type { WebgpuBackendOptions } from './options.js';
import { DAWN_PATHS, GPU_PATHS, selectedPathIds, type WebgpuPath } from './paths.js';

/**
 * Where an adapter's GPU comes from, decided by its options and the platform: Dawn in Node
 * unless a GPU is given, else the given GPU or the browser's navigator.gpu. The probe and the
 * activation both ask this, so they always agree.
 */
export interface GpuSource {
  /** Time limit of each requestAdapter/requestDevice call while probing. */
  readonly timeoutMs: number;
  /** Dawn was injected (tests): ask it for every path, even one whose library is missing. */
  readonly injectedDawn: boolean;
  usesDawn(): boolean;
  givenGpu(): GpuLike | undefined;
  /** Dawn, loaded once; a failed load is tried again next time. */
  loadDawn(): Promise<DawnModule>;
  /** The selected paths of this source's table, and the selected ids it does not know. */
  selectedPaths(): { paths: WebgpuPath[]; unknown: string[] };
}

export function createGpuSource(options: WebgpuBackendOptions): GpuSource {
  const usesDawn = () => !options.gpu && currentPlatform() === 'node';
  let dawn: Promise<DawnModule> | null = null;
  return {
    timeoutMs: options.timeoutMs ?? 30_000,
    injectedDawn: options.loadDawn !== undefined,
    usesDawn,
    givenGpu() {
      if (options.gpu) return typeof options.gpu === 'function' ? options.gpu() : options.gpu;
      if (currentPlatform() === 'browser') {
        return (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
      }
      return undefined;
    },
    loadDawn() {
      dawn ??= (options.loadDawn ?? importDawn)().catch((e: unknown) => {
        dawn = null;
        throw e;
      });
      return dawn;
    },
    selectedPaths() {
      const table = usesDawn() ? DAWN_PATHS : GPU_PATHS;
      const ids = selectedPathIds(options.paths);
      const paths = ids
        .map((id) => table.find((p) => p.id === id))
        .filter((p): p is WebgpuPath => p !== undefined);
      const unknown = ids.filter((id) => !table.some((p) => p.id === id));
      return { paths, unknown };
    },
  };
}
