import type { GpuAdapterLike, GpuLike, GpuRequestAdapterOptionsLike } from './gpu-types.js';

// tfjs's WebGPU backend finds its GPU only on navigator.gpu, when its module loads and when its
// backend is constructed: in Node (Dawn) there is no navigator, and in both the adapter tfjs
// asks for must be the one the probe chose. These put a wrapped GPU there, and take it back.

/** Wraps a GPU so that every requestAdapter call gets the path's options, and is recorded. */
export function wrapGpu(
  gpu: GpuLike,
  request: GpuRequestAdapterOptionsLike,
  onAdapter: (a: GpuAdapterLike) => void,
): GpuLike {
  return new Proxy(gpu as GpuLike & object, {
    get(target, property) {
      if (property === 'requestAdapter') {
        return async (options?: GpuRequestAdapterOptionsLike) => {
          const adapter = await target.requestAdapter({ ...options, ...request });
          if (adapter) onAdapter(adapter);
          return adapter;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Puts `gpu` on navigator.gpu (creating navigator in Node); returns how to undo it. */
export function installNavigatorGpu(gpu: GpuLike): () => void {
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  const nav = g.navigator;
  if (nav === undefined || nav === null) {
    const created = { gpu };
    Object.defineProperty(globalThis, 'navigator', {
      value: created,
      configurable: true,
      writable: true,
    });
    return () => {
      if (g.navigator === created) delete g.navigator;
    };
  }
  const own = Object.getOwnPropertyDescriptor(nav, 'gpu');
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  return () => {
    if (own) Object.defineProperty(nav, 'gpu', own);
    else delete nav.gpu;
  };
}
