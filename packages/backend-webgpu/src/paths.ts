import type { GpuRequestAdapterOptionsLike } from './gpu-types.js';
import { nodeEnv } from './util.js';

// ---- The adapter paths: where to look for an adapter, in order ----

export type WebgpuPathId = 'default' | 'vulkan-software' | 'opengles';

export interface WebgpuPath {
  readonly id: WebgpuPathId;
  /** What this path looks for, in words. */
  readonly label: string;
  /** Short form for the device text ("Dawn, OpenGL ES compatibility"). */
  readonly via: string;
  /** Flags for Dawn's `create()` (Node only). */
  readonly dawnFlags: readonly string[];
  /** Options merged into every `requestAdapter()` call on this path. */
  readonly request: GpuRequestAdapterOptionsLike;
  /** Linux: the shared library Dawn loads for this path, and the Debian package that has it. */
  readonly library?: { readonly file: string; readonly debianPackage: string };
}

/** Node: the order in which Dawn is asked for an adapter. */
export const DAWN_PATHS: readonly WebgpuPath[] = [
  {
    id: 'default',
    label: "Dawn's default backend (a GPU, through Vulkan on Linux)",
    via: 'Dawn',
    dawnFlags: [],
    request: { powerPreference: 'high-performance' },
    library: { file: 'libvulkan.so.1', debianPackage: 'libvulkan1' },
  },
  {
    id: 'vulkan-software',
    label: 'a software Vulkan adapter (lavapipe, SwiftShader)',
    via: 'Dawn, Vulkan',
    dawnFlags: ['backend=vulkan'],
    request: { forceFallbackAdapter: true },
    library: { file: 'libvulkan.so.1', debianPackage: 'libvulkan1' },
  },
  {
    id: 'opengles',
    label: 'OpenGL ES in compatibility mode on a surfaceless EGL display (Mesa llvmpipe)',
    via: 'Dawn, OpenGL ES compatibility mode',
    dawnFlags: ['backend=opengles'],
    request: { featureLevel: 'compatibility' },
    // Dawn loads the unversioned name, which Debian ships in the -dev package.
    library: { file: 'libEGL.so', debianPackage: 'libegl-dev' },
  },
];

/** A given `navigator.gpu` (the browser's): the same order, expressed as request options. */
export const GPU_PATHS: readonly WebgpuPath[] = [
  {
    id: 'default',
    label: 'the default adapter',
    via: 'navigator.gpu',
    dawnFlags: [],
    request: { powerPreference: 'high-performance' },
  },
  {
    id: 'vulkan-software',
    label: 'a fallback (software) adapter',
    via: 'navigator.gpu, fallback adapter',
    dawnFlags: [],
    request: { forceFallbackAdapter: true },
  },
  {
    id: 'opengles',
    label: 'a compatibility-mode adapter',
    via: 'navigator.gpu, compatibility mode',
    dawnFlags: [],
    request: { featureLevel: 'compatibility' },
  },
];

export const PATH_IDS: readonly WebgpuPathId[] = ['default', 'vulkan-software', 'opengles'];

/** The paths to try: those given, else GRADLAB_WEBGPU_ADAPTER (comma-separated ids), else all. */
export function selectedPathIds(
  given: readonly WebgpuPathId[] | undefined,
): readonly WebgpuPathId[] {
  if (given) return given;
  const fromEnv = nodeEnv()?.GRADLAB_WEBGPU_ADAPTER;
  if (!fromEnv) return PATH_IDS;
  return fromEnv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as WebgpuPathId[];
}
