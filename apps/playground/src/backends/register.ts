import { cpuBackend } from '@gradlab/backend-cpu';
import { webgpuBackend } from '@gradlab/backend-webgpu';
import { registerBackend } from '@gradlab/core';
import { browserWasmBackend } from './wasm.js';
import { webglBackend } from './webgl.js';

/** The backends the playground offers, fastest kind first. */
export const PLAYGROUND_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** Registers them with gradlab's registry, which probes and activates them by name. */
export function registerPlaygroundBackends(): void {
  registerBackend(webgpuBackend);
  registerBackend(webglBackend);
  registerBackend(browserWasmBackend);
  registerBackend(cpuBackend);
}
