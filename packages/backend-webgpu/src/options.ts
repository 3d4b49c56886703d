import type { BackendAdapter } from '@gradlab/core';
import type { WebgpuAdapterDescription } from './describe.js';
import type { DawnModule, GpuLike } from './gpu-types.js';
import type { WebgpuPathId } from './paths.js';

// The adapter's public option and result types.

export type WebgpuInspection =
  | {
      readonly available: true;
      readonly adapter: WebgpuAdapterDescription;
      /** Why the paths before it were passed over. */
      readonly tried: readonly string[];
    }
  | {
      readonly available: false;
      readonly reason: string;
      readonly hint: string;
      readonly tried: readonly string[];
    };

export interface WebgpuBackendOptions {
  /** Loads Dawn for Node. Default: `import('webgpu')`. */
  readonly loadDawn?: () => Promise<DawnModule>;
  /**
   * A WebGPU entry point to use instead of Dawn. Default: none in Node, `navigator.gpu` in a
   * browser. A function is called at each probe and activation.
   */
  readonly gpu?: GpuLike | (() => GpuLike | undefined);
  /**
   * The paths to try, in order. Default: the environment variable GRADLAB_WEBGPU_ADAPTER
   * (comma-separated path ids), else all three.
   */
  readonly paths?: readonly WebgpuPathId[];
  /** Time limit of each requestAdapter/requestDevice call while probing (default 30 s). */
  readonly timeoutMs?: number;
}

/** What `createWebgpuBackend` returns: an adapter that can also say which adapter it found. */
export interface WebgpuBackendAdapter extends BackendAdapter {
  /** The probe, structured: the adapter found and its properties, or why none was. */
  inspect(): Promise<WebgpuInspection>;
}
