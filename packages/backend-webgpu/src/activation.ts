import { forgetTfjsBackend, GradlabError, tfjsEngineInternals } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { installChunkedAddN } from './chunked-add-n.js';
import {
  DAWN_PACKAGE_VERSION,
  DAWN_SPECIFIER,
  installDawnGlobals,
  packageVersion,
  TFJS_WEBGPU_VERSION,
} from './dawn.js';
import { describeAdapter, type WebgpuAdapterDescription } from './describe.js';
import type { GpuSource } from './gpu-source.js';
import type { GpuAdapterLike, GpuDeviceLike, GpuLike } from './gpu-types.js';
import { installNavigatorGpu, wrapGpu } from './navigator-gpu.js';
import { prepareMesaEnvironment } from './path-environment.js';
import type { WebgpuPath } from './paths.js';
import { registerWebgpuFactory, type WebGPUBackendClass } from './tfjs-webgpu.js';
import { message, within } from './util.js';

// Starting tfjs's WebGPU backend on the adapter the probe chose, and tearing it down again.

/** What an activated adapter holds, and must give back on release. */
export interface Active {
  adapter: WebgpuAdapterDescription;
  readonly versions: Record<string, string>;
  uninstall: (() => void) | null;
  device: GpuDeviceLike | null;
}

/** A fresh GPU on the probed path (a new Dawn instance in Node), and the versions it used. */
async function openGpu(
  source: GpuSource,
  path: WebgpuPath,
  adapterName: string,
): Promise<{ gpu: GpuLike; versions: Record<string, string> }> {
  let gpu: GpuLike | undefined;
  const versions: Record<string, string> = {};
  try {
    if (source.usesDawn()) {
      const module = await source.loadDawn();
      installDawnGlobals(module.globals);
      prepareMesaEnvironment(path);
      gpu = module.create([...path.dawnFlags]);
      versions.webgpu = packageVersion(DAWN_SPECIFIER) ?? DAWN_PACKAGE_VERSION;
    } else {
      gpu = source.givenGpu();
    }
  } catch (e) {
    throw new GradlabError(
      'BACKEND_INIT_FAILED',
      `WebGPU failed to start on ${adapterName}: Dawn failed: ${message(e)}`,
    );
  }
  if (!gpu) {
    throw new GradlabError(
      'BACKEND_INIT_FAILED',
      'WebGPU failed to start: navigator.gpu is gone since the probe',
    );
  }
  return { gpu, versions };
}

/** Loads tfjs's WebGPU package on `gpu` and makes it tfjs's active backend. */
async function startTfjs(state: Active, gpu: GpuLike, path: WebgpuPath): Promise<void> {
  const seen: { adapter: GpuAdapterLike | null } = { adapter: null };
  const wrapped = wrapGpu(gpu, path.request, (a) => {
    seen.adapter = a;
  });
  // tfjs checks navigator.gpu when its module loads and when its backend is constructed.
  state.uninstall = installNavigatorGpu(wrapped);
  const module = await import('@tensorflow/tfjs-backend-webgpu');
  state.versions['@tensorflow/tfjs-backend-webgpu'] =
    packageVersion('@tensorflow/tfjs-backend-webgpu') ?? TFJS_WEBGPU_VERSION;
  installChunkedAddN();
  const WebGPUBackend = module.WebGPUBackend as unknown as WebGPUBackendClass;
  registerWebgpuFactory(WebGPUBackend, wrapped, path, (device) => {
    state.device = device;
  });
  if (!(await tf.setBackend('webgpu'))) {
    throw new GradlabError(
      'BACKEND_INIT_FAILED',
      'the tfjs "webgpu" backend failed to initialise (tf.setBackend returned false); see the warnings above for the cause.',
    );
  }
  await tf.ready();
  // Describe the adapter tfjs actually got (the same one the probe found).
  const used = seen.adapter;
  if (used) {
    state.adapter = describeAdapter(path, used, used.info ?? (await used.requestAdapterInfo?.()));
  }
}

/** Starts tfjs's WebGPU backend on `path`; on failure leaves nothing behind. */
export async function startOn(
  source: GpuSource,
  path: WebgpuPath,
  adapter: WebgpuAdapterDescription,
): Promise<Active> {
  const { gpu, versions } = await openGpu(source, path, adapter.name);
  const state: Active = { adapter, versions, uninstall: null, device: null };
  try {
    await startTfjs(state, gpu, path);
    return state;
  } catch (e) {
    await teardown(state);
    if (e instanceof GradlabError) throw e;
    throw new GradlabError(
      'BACKEND_INIT_FAILED',
      `WebGPU failed to start on ${adapter.name}: ${message(e)}`,
    );
  }
}

/** Disposes tfjs's webgpu backend, destroys its device, takes navigator.gpu back. */
export async function teardown(state: Active): Promise<void> {
  const instance = tfjsEngineInternals().registry.webgpu as
    | (tf.KernelBackend & { device?: GpuDeviceLike })
    | undefined;
  const device = state.device ?? instance?.device ?? null;
  // removeBackend disposes the instance (its buffers) and forgets the factory, so that nothing
  // (not even tf.getBackend() choosing a default) can start it again without activate().
  forgetTfjsBackend('webgpu');
  if (device) {
    // Let submitted work finish (for at most a second) before the device goes.
    try {
      const done = device.queue?.onSubmittedWorkDone?.();
      if (done) await within(1_000, 'onSubmittedWorkDone', done);
    } catch {
      // lost, or too slow: destroy it anyway
    }
    try {
      device.destroy();
    } catch {
      // already destroyed
    }
  }
  state.device = null;
  state.uninstall?.();
  state.uninstall = null;
}
