import type { DawnModule } from './gpu-types.js';
import { nodeBuiltin } from './util.js';

// Loading Dawn (the npm package `webgpu`) and reading installed versions, Node only.

/** The version of the npm package `webgpu` (Dawn for Node) this adapter is tested with. */
export const DAWN_PACKAGE_VERSION = '0.6.2';

export const DAWN_SPECIFIER = 'webgpu';
export const TFJS_WEBGPU_VERSION = '4.22.0';

/** The installed version of a package (Node only; undefined where it cannot be read). */
export function packageVersion(name: string): string | undefined {
  try {
    const { createRequire } = nodeBuiltin<typeof import('node:module')>('node:module');
    const version = (
      createRequire(import.meta.url)(`${name}/package.json`) as { version?: unknown }
    ).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

export async function importDawn(): Promise<DawnModule> {
  // A computed specifier: browser bundlers must not try to bundle Dawn's Node binary.
  return (await import(/* @vite-ignore */ DAWN_SPECIFIER)) as DawnModule;
}

/** WebGPU's global classes and constants (GPUBufferUsage, GPUBuffer, ...), where missing. */
export function installDawnGlobals(globals: object): void {
  for (const [key, value] of Object.entries(globals)) {
    if (!(key in globalThis)) {
      Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
    }
  }
}
