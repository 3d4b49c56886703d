import type { WebgpuBackendAdapter } from './options.js';
import { createWebgpuBackend } from './webgpu-adapter.js';

/**
 * The gradlab adapter for @tensorflow/tfjs-backend-webgpu.
 *
 * In a browser it uses `navigator.gpu`. In Node it uses Dawn, from the npm package `webgpu`
 * (imported lazily: registering the adapter loads nothing), and looks for an adapter in this
 * order, keeping the first that gives a working device:
 *
 * 1. `default`: Dawn's default backend: a real GPU, through Vulkan on Linux;
 * 2. `vulkan-software`: a software Vulkan adapter (lavapipe from Mesa 25+, SwiftShader);
 * 3. `opengles`: OpenGL ES in WebGPU compatibility mode on a surfaceless EGL display, which on a
 *    machine without a GPU is Mesa's llvmpipe (the project's Debian 12 image has it).
 *
 * The probe creates a device to be sure, destroys it, and remembers which path worked;
 * `activate()` starts tfjs's WebGPU backend on that same adapter.
 *
 * tfjs registers its WebGPU backend with priority 3, above cpu (1) and wasm (2), so a program
 * that never chose a backend would silently get it. This adapter registers it with priority 0
 * instead, only while it is loaded, and removes it again on `release()`: tfjs's default stays
 * what it was, and webgpu runs only when gradlab (or you) select it by name.
 */

// The package's public surface; each part lives in a file of its own:
//   webgpu-adapter.ts  createWebgpuBackend: probe, activate, release, one owner at a time
//   probe.ts           asking each path for an adapter and a device (gpu-source.ts: Dawn or a given GPU)
//   activation.ts      starting tfjs's WebGPU backend on the probed adapter, and tearing it down
//   paths.ts, path-environment.ts, dawn.ts   the adapter paths, their Mesa environment, loading Dawn
//   navigator-gpu.ts   installing the wrapped GPU on navigator.gpu for tfjs
//   tfjs-webgpu.ts, chunked-add-n.ts         tfjs's backend registered on our terms; its AddN fixed
export { DAWN_PACKAGE_VERSION } from './dawn.js';
export { describeAdapter, type WebgpuAdapterDescription } from './describe.js';
export type {
  DawnModule,
  GpuAdapterInfoLike,
  GpuAdapterLike,
  GpuDeviceLike,
  GpuLike,
  GpuRequestAdapterOptionsLike,
} from './gpu-types.js';
export { WEBGPU_KNOWN_GAPS } from './known-gaps.js';
export type { WebgpuBackendAdapter, WebgpuBackendOptions, WebgpuInspection } from './options.js';
export { DAWN_PATHS, GPU_PATHS, type WebgpuPath, type WebgpuPathId } from './paths.js';
export { TFJS_REGISTRY_PRIORITY } from './tfjs-webgpu.js';
export { createWebgpuBackend, SOFTWARE_PRIORITY } from './webgpu-adapter.js';

/** The WebGPU adapter: Dawn in Node (GPU, then software Vulkan, then OpenGL ES), navigator.gpu in a browser. */
export const webgpuBackend: WebgpuBackendAdapter = createWebgpuBackend();

export default webgpuBackend;
