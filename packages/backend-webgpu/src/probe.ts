import { DAWN_PACKAGE_VERSION, DAWN_SPECIFIER } from './dawn.js';
import { describeAdapter, type WebgpuAdapterDescription } from './describe.js';
import type { GpuSource } from './gpu-source.js';
import type { GpuAdapterInfoLike, GpuAdapterLike, GpuLike } from './gpu-types.js';
import type { WebgpuInspection } from './options.js';
import { missingLibraryNote, prepareMesaEnvironment } from './path-environment.js';
import { PATH_IDS, type WebgpuPath } from './paths.js';
import { message, nodeBuiltin, within } from './util.js';

// The probe: asks each selected path for an adapter and a device, in order, and keeps the first
// that gives both, saying why each one before it was passed over.

/** An inspection, plus (internally) the path that worked, which activation starts on. */
export type Probed = WebgpuInspection & { pathDef?: WebgpuPath };

/** Asks one path for an adapter and a device; destroys the device. */
async function tryPath(
  path: WebgpuPath,
  gpu: GpuLike,
  timeoutMs: number,
): Promise<WebgpuAdapterDescription | string> {
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await within(timeoutMs, 'requestAdapter', gpu.requestAdapter({ ...path.request }));
  } catch (e) {
    return `${path.label}: requestAdapter failed (${message(e)})`;
  }
  if (!adapter) return `${path.label}: no adapter`;
  let info: GpuAdapterInfoLike | undefined;
  try {
    info = adapter.info ?? (await adapter.requestAdapterInfo?.());
  } catch {
    info = undefined;
  }
  try {
    const device = await within(timeoutMs, 'requestDevice', adapter.requestDevice());
    device.destroy();
  } catch (e) {
    return `${path.label}: the adapter gave no device (${message(e)})`;
  }
  return describeAdapter(path, adapter, info);
}

/** A given navigator.gpu (the browser's, or an option): each path is a set of request options. */
async function probeGivenGpu(source: GpuSource, paths: readonly WebgpuPath[]): Promise<Probed> {
  const tried: string[] = [];
  const gpu = source.givenGpu();
  if (!gpu) {
    return {
      available: false,
      reason: 'no WebGPU here: navigator.gpu is undefined',
      hint: 'use a browser with WebGPU (Chrome or Edge 113+, a recent Safari or Firefox) on a secure (https or localhost) page, or the wasm backend',
      tried,
    };
  }
  for (const path of paths) {
    const outcome = await tryPath(path, gpu, source.timeoutMs);
    if (typeof outcome !== 'string')
      return { available: true, adapter: outcome, tried, pathDef: path };
    tried.push(outcome);
  }
  return {
    available: false,
    reason: `no WebGPU adapter: ${tried.join('; ')}`,
    hint: 'enable WebGPU in the browser (chrome://gpu shows why it is off; on a machine without a GPU Chromium needs --enable-unsafe-webgpu), or use the wasm backend',
    tried,
  };
}

/** Why Node cannot run tfjs's WebGPU backend at all (Dawn or tfjs's package missing), or null. */
async function dawnUnavailable(source: GpuSource): Promise<Probed | null> {
  try {
    await source.loadDawn();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const missing =
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      new RegExp(`Cannot find (package|module) '${DAWN_SPECIFIER}'`).test(message(e));
    return {
      available: false,
      reason: missing
        ? 'the npm package webgpu (Dawn for Node) is not installed'
        : `the npm package webgpu (Dawn for Node) failed to load: ${message(e)}`,
      hint: missing
        ? `install it: npm install webgpu@${DAWN_PACKAGE_VERSION}`
        : `reinstall webgpu@${DAWN_PACKAGE_VERSION}; its prebuilt binary supports linux-x64, linux-arm64, darwin and win32-x64/arm64 with a recent glibc`,
      tried: [],
    };
  }
  try {
    const { createRequire } = nodeBuiltin<typeof import('node:module')>('node:module');
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-webgpu');
  } catch (e) {
    return {
      available: false,
      reason: `@tensorflow/tfjs-backend-webgpu cannot be found (${message(e)})`,
      hint: 'install it: npm install @tensorflow/tfjs-backend-webgpu@4.22.0',
      tried: [],
    };
  }
  return null;
}

/** Node: Dawn, one instance per path (each path is a set of Dawn flags). */
async function probeDawn(source: GpuSource, paths: readonly WebgpuPath[]): Promise<Probed> {
  const unavailable = await dawnUnavailable(source);
  if (unavailable) return unavailable;
  const module = await source.loadDawn();
  const tried: string[] = [];
  for (const path of paths) {
    // Asking the real Dawn for a path whose library is missing only makes it print a warning
    // on stderr (every run would show "Couldn't load Vulkan"): skip it, saying why. An
    // injected Dawn (tests) is asked for every path.
    const missing = source.injectedDawn ? '' : missingLibraryNote(path);
    if (missing) {
      tried.push(`${path.label}: not tried${missing}`);
      continue;
    }
    let gpu: GpuLike;
    try {
      prepareMesaEnvironment(path);
      gpu = module.create([...path.dawnFlags]);
    } catch (e) {
      tried.push(`${path.label}: ${message(e)}`);
      continue;
    }
    const outcome = await tryPath(path, gpu, source.timeoutMs);
    if (typeof outcome !== 'string')
      return { available: true, adapter: outcome, tried, pathDef: path };
    tried.push(outcome);
  }
  return {
    available: false,
    reason: `no WebGPU adapter: ${tried.join('; ')}`,
    hint: "on a GPU machine install its Vulkan loader and driver (Debian: libvulkan1 and the vendor's ICD); without a GPU, Mesa's EGL and llvmpipe give the software OpenGL ES path (Debian: libegl-dev libegl-mesa0 libgl1-mesa-dri); or use the wasm backend",
    tried,
  };
}

/** The whole probe: the selected paths checked, then asked through Dawn or the given GPU. */
export async function runProbe(source: GpuSource): Promise<Probed> {
  const { paths, unknown } = source.selectedPaths();
  if (unknown.length) {
    return {
      available: false,
      reason: `GRADLAB_WEBGPU_ADAPTER names unknown adapter paths: ${unknown.join(', ')}`,
      hint: `use ${PATH_IDS.join(', ')} (comma-separated), or unset it to try them all`,
      tried: [],
    };
  }
  if (paths.length === 0) {
    return {
      available: false,
      reason: 'no adapter path is selected',
      hint: `select one or more of ${PATH_IDS.join(', ')}, or unset GRADLAB_WEBGPU_ADAPTER`,
      tried: [],
    };
  }
  return source.usesDawn() ? probeDawn(source, paths) : probeGivenGpu(source, paths);
}

/**
 * The probe, remembered: a successful one is kept (it costs a Dawn instance and a device, and
 * activation uses the adapter it chose); a failed one is answered again next time (something
 * may have changed). Concurrent callers share one probe.
 */
export function rememberedProbe(source: GpuSource): () => Promise<Probed> {
  let found: Promise<Probed> | null = null;
  return async () => {
    found ??= runProbe(source).catch(
      (e: unknown): Probed => ({
        available: false,
        reason: `the WebGPU probe failed: ${message(e)}`,
        hint: 'report this to @gradlab/backend-webgpu',
        tried: [],
      }),
    );
    const mine = found;
    const result = await mine;
    if (!result.available && found === mine) found = null;
    return result;
  };
}
