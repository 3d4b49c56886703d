import { forgetTfjsBackend, tfjsEngineInternals } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import type { GpuDeviceLike, GpuLike } from './gpu-types.js';
import type { WebgpuPath } from './paths.js';

// tfjs's "webgpu" backend registered on our terms: our factory instead of the one tfjs's module
// registers on import, at our priority, on the probed adapter, keeping the device it makes.

/** The priority tfjs's registry gives the webgpu backend while this adapter has it loaded. */
export const TFJS_REGISTRY_PRIORITY = 0;

/**
 * The limits the device asks for, at the adapter's maximum: tfjs 4.22's list, plus the number
 * of storage buffers per shader stage (its default, 8, caps how many inputs one tfjs program can
 * bind; the software adapter offers 16) and the other workgroup dimensions.
 */
const REQUIRED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
] as const;

export type WebGPUBackendClass = new (device: unknown, info?: unknown) => tf.KernelBackend;

/**
 * Registers tfjs's "webgpu" backend with a factory that asks `gpu` (the wrapped, probed GPU)
 * for the same device tfjs 4.22's own factory requests, and hands each device to `onDevice`
 * so that release() can destroy it. Leaves an already started backend alone.
 */
export function registerWebgpuFactory(
  WebGPUBackend: WebGPUBackendClass,
  gpu: GpuLike,
  path: WebgpuPath,
  onDevice: (device: GpuDeviceLike) => void,
): void {
  if (tfjsEngineInternals().registry.webgpu !== undefined) return;
  // Not the factory tfjs registered on import (priority 3, which would make it tfjs's default).
  forgetTfjsBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = await gpu.requestAdapter({
        powerPreference: tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU')
          ? 'low-power'
          : 'high-performance',
      });
      if (!adapter) throw new Error(`${path.label} gave no adapter this time`);
      const limits = adapter.limits ?? {};
      const requiredLimits: Record<string, number> = {};
      for (const key of REQUIRED_LIMITS) {
        const value = limits[key];
        if (typeof value === 'number') requiredLimits[key] = value;
      }
      const requiredFeatures = ['timestamp-query', 'bgra8unorm-storage'].filter((f) =>
        adapter.features?.has(f),
      );
      const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
      onDevice(device);
      const info = adapter.info ?? (await adapter.requestAdapterInfo?.());
      return new WebGPUBackend(device, info);
    },
    TFJS_REGISTRY_PRIORITY,
  );
}
