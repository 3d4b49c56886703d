import {
  BACKEND_SPEC_VERSION,
  type BackendInfo,
  currentPlatform,
  GradlabError,
  type ProbeResult,
  tfjsEngineInternals,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Active, startOn, teardown } from './activation.js';
import { deviceText, probeDetail } from './describe.js';
import { createGpuSource } from './gpu-source.js';
import { WEBGPU_KNOWN_GAPS } from './known-gaps.js';
import type { WebgpuBackendAdapter, WebgpuBackendOptions, WebgpuInspection } from './options.js';
import { rememberedProbe } from './probe.js';
import { message } from './util.js';

/** The priority a software adapter reports to `auto`: below wasm (20), above cpu (10). */
export const SOFTWARE_PRIORITY = 15;

function probeResult(result: WebgpuInspection): ProbeResult {
  return result.available
    ? {
        available: true,
        detail: probeDetail(result.adapter, result.tried),
        // On a software (CPU) adapter WebGPU is slower than wasm: let `auto` prefer wasm.
        ...(result.adapter.software ? { priority: SOFTWARE_PRIORITY } : {}),
      }
    : { available: false, reason: result.reason, hint: result.hint };
}

function backendInfo(active: Active): BackendInfo {
  return {
    name: 'webgpu',
    tfjsBackend: 'webgpu',
    device: deviceText(active.adapter),
    // tfjs's WebGPU kernels compute in f32 (WGSL f32; no f16 path in tfjs 4.22).
    floatPrecision: 32,
    epsilon: 2 ** -23,
    // dataSync/arraySync go through OffscreenCanvas, which Node lacks.
    capabilities: { syncReadback: currentPlatform() === 'browser', multithreaded: true },
    versions: { ...active.versions },
  };
}

/** Only one gradlab WebGPU adapter owns tfjs's "webgpu" backend at a time. */
let owner: { release(): Promise<void> } | null = null;

/**
 * Makes a WebGPU adapter. `webgpuBackend` is `createWebgpuBackend()`; the options are seams for
 * tests and unusual setups (a given navigator.gpu, another Dawn, fewer paths).
 */
export function createWebgpuBackend(options: WebgpuBackendOptions = {}): WebgpuBackendAdapter {
  const source = createGpuSource(options);
  const inspectInternal = rememberedProbe(source);
  let active: Active | null = null;
  let starting: Promise<Active> | null = null;

  async function start(): Promise<Active> {
    const probed = await inspectInternal();
    if (!probed.available || !probed.pathDef) {
      const why = probed.available
        ? 'the probe kept no path'
        : `${probed.reason}. To fix: ${probed.hint}`;
      throw new GradlabError('BACKEND_INIT_FAILED', `WebGPU cannot start here: ${why}.`);
    }
    if (owner && owner !== self) await owner.release();
    return startOn(source, probed.pathDef, probed.adapter);
  }

  const self: WebgpuBackendAdapter = {
    specVersion: BACKEND_SPEC_VERSION,
    name: 'webgpu',
    priority: 30,
    platforms: ['node', 'browser'],
    description:
      'tfjs WebGPU backend: navigator.gpu in the browser, Dawn (npm package webgpu) in Node, with software fallbacks (Vulkan, OpenGL ES)',
    knownGaps: WEBGPU_KNOWN_GAPS,

    async probe(): Promise<ProbeResult> {
      try {
        return probeResult(await inspectInternal());
      } catch (e) {
        return {
          available: false,
          reason: `the WebGPU probe failed: ${message(e)}`,
          hint: 'report this to @gradlab/backend-webgpu',
        };
      }
    },

    async inspect(): Promise<WebgpuInspection> {
      const { pathDef: _path, ...result } = await inspectInternal();
      return result;
    },

    async activate(): Promise<BackendInfo> {
      if (!active) {
        starting ??= start().finally(() => {
          starting = null;
        });
        active = await starting;
        owner = self;
      }
      if (tfjsEngineInternals().registry.webgpu === undefined) {
        // Someone removed tfjs's backend behind our back: start again.
        const stale = active;
        active = null;
        await teardown(stale);
        return self.activate();
      }
      if (tf.getBackend() !== 'webgpu' && !(await tf.setBackend('webgpu'))) {
        throw new GradlabError(
          'BACKEND_INIT_FAILED',
          'could not switch tfjs to the "webgpu" backend',
        );
      }
      return backendInfo(active);
    },

    async release(): Promise<void> {
      if (starting) await starting.catch(() => undefined);
      const state = active;
      if (!state) return;
      active = null;
      if (owner === self) owner = null;
      await teardown(state);
    },
  };
  return self;
}
