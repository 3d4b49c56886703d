import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  type BackendInfo,
  currentPlatform,
  GradlabError,
  type ProbeResult,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { WEBGPU_KNOWN_GAPS } from './known-gaps.js';

export { WEBGPU_KNOWN_GAPS } from './known-gaps.js';

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

/** The version of the npm package `webgpu` (Dawn for Node) this adapter is tested with. */
export const DAWN_PACKAGE_VERSION = '0.6.2';

/** The priority tfjs's registry gives the webgpu backend while this adapter has it loaded. */
export const TFJS_REGISTRY_PRIORITY = 0;

// ---- The few WebGPU shapes this adapter touches (structural, so no global WebGPU types) ----

export interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

export interface GpuDeviceLike {
  destroy(): void;
  readonly queue?: { onSubmittedWorkDone?(): Promise<unknown> };
}

export interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  /** Older spelling of info.isFallbackAdapter. */
  readonly isFallbackAdapter?: boolean;
  readonly featureLevel?: string;
  readonly features?: { has(feature: string): boolean };
  readonly limits?: Readonly<Record<string, number>>;
  requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
  requestDevice(descriptor?: object): Promise<GpuDeviceLike>;
}

export interface GpuRequestAdapterOptionsLike {
  powerPreference?: 'low-power' | 'high-performance';
  forceFallbackAdapter?: boolean;
  featureLevel?: 'core' | 'compatibility';
}

/** `navigator.gpu`, or what Dawn's `create()` returns. */
export interface GpuLike {
  requestAdapter(options?: GpuRequestAdapterOptionsLike): Promise<GpuAdapterLike | null>;
}

/** The npm package `webgpu`: Dawn for Node. */
export interface DawnModule {
  create(flags: string[]): GpuLike;
  readonly globals: object;
}

// ---- The adapter paths ----

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

const PATH_IDS: readonly WebgpuPathId[] = ['default', 'vulkan-software', 'opengles'];

/** The physical adapter a probe found. */
export interface WebgpuAdapterDescription {
  readonly path: WebgpuPathId;
  /** How it was reached ("Dawn, OpenGL ES compatibility mode"). */
  readonly via: string;
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software (CPU) implementation: llvmpipe, lavapipe, SwiftShader, WARP. */
  readonly software: boolean;
  readonly featureLevel: 'core' | 'compatibility';
  /** The adapter in words ("llvmpipe (LLVM 15.0.6, 256 bits), OpenGL ES 3.2 Mesa 22.3.6"). */
  readonly name: string;
}

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

// ---- helpers ----

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function nodeEnv(): Record<string, string | undefined> | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env;
}

function nodeBuiltin<T>(id: string): T {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  const m = g.process?.getBuiltinModule?.(id);
  if (!m) throw new Error(`the Node built-in module ${id} is not available`);
  return m as T;
}

async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const SOFTWARE_ADAPTER =
  /llvmpipe|lavapipe|softpipe|swiftshader|software|basic[- ]render|\bwarp\b|\bcpu\b/i;

/** "llvmpipe-llvm-15-0-6-256-bits-" (Dawn's id of Mesa's renderer) -> "llvmpipe (LLVM 15.0.6, 256 bits)". */
function prettyDevice(device: string): string {
  const mesa = /^(\w*pipe)-llvm-(\d+)-(\d+)-(\d+)-(\d+)-bits-*$/.exec(device);
  if (mesa) return `${mesa[1]} (LLVM ${mesa[2]}.${mesa[3]}.${mesa[4]}, ${mesa[5]} bits)`;
  return device.replace(/-+$/, '');
}

/** Describes an adapter from its info, as far as the info says. */
export function describeAdapter(
  path: WebgpuPath,
  adapter: GpuAdapterLike,
  info: GpuAdapterInfoLike | undefined,
): WebgpuAdapterDescription {
  const vendor = (info?.vendor ?? '').trim();
  const architecture = (info?.architecture ?? '').trim();
  const device = (info?.device ?? '').trim();
  const description = (info?.description ?? '').trim();
  const software =
    info?.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    SOFTWARE_ADAPTER.test([vendor, architecture, device, description].join(' '));
  const featureLevel =
    adapter.featureLevel === 'compatibility' || path.request.featureLevel === 'compatibility'
      ? 'compatibility'
      : 'core';
  // Dawn: `device` is the device's name, normalised ("nvidia-h100-80gb-hbm3"), `description`
  // the driver ("NVIDIA: 550.54.14", "OpenGL version OpenGL ES 3.2 Mesa 22.3.6"); a browser may
  // leave both empty and give only vendor and architecture.
  const named = prettyDevice(device);
  const vendorArch = [vendor, architecture].filter(Boolean).join(' ');
  const extra =
    named && architecture && !named.toLowerCase().includes(architecture.toLowerCase())
      ? ` (${architecture})`
      : '';
  const driver = description.replace(/^OpenGL version /, '');
  const name = [named ? `${named}${extra}` : vendorArch, driver].filter(Boolean).join(', ');
  return {
    path: path.id,
    via: path.via,
    vendor,
    architecture,
    device,
    description,
    software,
    featureLevel,
    name: name || 'an unnamed adapter',
  };
}

function deviceText(a: WebgpuAdapterDescription): string {
  return `WebGPU: ${a.name}${a.software ? ', software' : ''} (${a.via})`;
}

function probeDetail(a: WebgpuAdapterDescription, tried: readonly string[]): string {
  const fields = [
    `vendor "${a.vendor}"`,
    `architecture "${a.architecture}"`,
    `device "${a.device}"`,
    `description "${a.description}"`,
  ].join(', ');
  const passed = tried.length ? `; passed over: ${tried.join('; ')}` : '';
  return `${a.name}, ${a.software ? 'a software (CPU) adapter' : 'a hardware adapter'}, ${a.featureLevel} feature level, via ${a.via} [${fields}]${passed}`;
}

function pathsFrom(options: WebgpuBackendOptions): readonly WebgpuPathId[] {
  if (options.paths) return options.paths;
  const fromEnv = nodeEnv()?.GRADLAB_WEBGPU_ADAPTER;
  if (!fromEnv) return PATH_IDS;
  return fromEnv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as WebgpuPathId[];
}

/** Mesa writes a shader cache under $HOME unless told where: give it a directory under tmp. */
function prepareMesaEnvironment(path: WebgpuPath): void {
  const env = nodeEnv();
  if (!env) return;
  if (!env.MESA_SHADER_CACHE_DIR) {
    const os = nodeBuiltin<typeof import('node:os')>('node:os');
    const fs = nodeBuiltin<typeof import('node:fs')>('node:fs');
    const nodePath = nodeBuiltin<typeof import('node:path')>('node:path');
    const uid = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
    const dir = nodePath.join(os.tmpdir(), `gradlab-mesa-shader-cache-${uid}`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      env.MESA_SHADER_CACHE_DIR = dir;
    } catch {
      // No writable tmp: leave Mesa's default.
    }
  }
  // Mesa's EGL picks its platform once per process, from EGL_PLATFORM, at the first display.
  if (path.id === 'opengles' && !env.EGL_PLATFORM) env.EGL_PLATFORM = 'surfaceless';
}

/**
 * Linux: " (libEGL.so is not installed: Debian package libegl-dev)" when the library the path
 * needs is in none of the usual directories; "" when it is there, or elsewhere.
 */
function missingLibraryNote(path: WebgpuPath): string {
  const lib = path.library;
  if (!lib || process.platform !== 'linux') return '';
  try {
    const fs = nodeBuiltin<typeof import('node:fs')>('node:fs');
    const triplet = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch as string];
    const dirs = [
      ...(nodeEnv()?.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
      ...(triplet ? [`/usr/lib/${triplet}`, `/lib/${triplet}`] : []),
      '/usr/lib64',
      '/usr/lib',
      '/lib64',
      '/lib',
      '/usr/local/lib',
    ];
    if (dirs.some((d) => fs.existsSync(`${d}/${lib.file}`))) return '';
    return ` (${lib.file} is not installed: Debian package ${lib.debianPackage})`;
  } catch {
    return '';
  }
}

const DAWN_SPECIFIER = 'webgpu';
const TFJS_WEBGPU_VERSION = '4.22.0';

/** The installed version of a package (Node only; undefined where it cannot be read). */
function packageVersion(name: string): string | undefined {
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

async function importDawn(): Promise<DawnModule> {
  // A computed specifier: browser bundlers must not try to bundle Dawn's Node binary.
  return (await import(/* @vite-ignore */ DAWN_SPECIFIER)) as DawnModule;
}

/** Wraps a GPU so that every requestAdapter call gets the path's options, and is recorded. */
function wrapGpu(
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
function installNavigatorGpu(gpu: GpuLike): () => void {
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

/** WebGPU's global classes and constants (GPUBufferUsage, GPUBuffer, ...), where missing. */
function installDawnGlobals(globals: object): void {
  for (const [key, value] of Object.entries(globals)) {
    if (!(key in globalThis)) {
      Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
    }
  }
}

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

const CHUNKED = Symbol.for('gradlab.webgpu.chunkedAddN');

/**
 * tfjs 4.22's WebGPU AddN binds every input as a storage buffer in one program, so an AddN of
 * more inputs than the device's maxStorageBuffersPerShaderStage - 1 fails validation and
 * returns garbage (gradlab sums one squared norm per weight tensor to get the global gradient
 * norm: 12 inputs for a 6-layer MLP). tfjs's own Concat splits its inputs the same way; this
 * does it for AddN: sums chunks that fit, then sums the partial sums.
 */
function installChunkedAddN(): void {
  const original = tf.getKernel('AddN', 'webgpu');
  if (!original || (original.kernelFunc as { [CHUNKED]?: boolean })[CHUNKED]) return;
  type Args = Parameters<tf.KernelFunc>[0];
  const sum = (args: Args, inputs: tf.TensorInfo[]): tf.TensorInfo => {
    const backend = args.backend as tf.KernelBackend & {
      device?: { limits?: { maxStorageBuffersPerShaderStage?: number } };
    };
    const limit = backend.device?.limits?.maxStorageBuffersPerShaderStage ?? 8;
    const maxInputs = Math.max(2, limit - 1);
    if (inputs.length <= maxInputs) {
      return original.kernelFunc({
        ...args,
        inputs: inputs as unknown as tf.NamedTensorInfoMap,
      }) as tf.TensorInfo;
    }
    const partials: tf.TensorInfo[] = [];
    const made: tf.TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += maxInputs) {
      const chunk = inputs.slice(i, i + maxInputs);
      if (chunk.length === 1) {
        partials.push(chunk[0] as tf.TensorInfo);
      } else {
        const partial = sum(args, chunk);
        partials.push(partial);
        made.push(partial);
      }
    }
    const result = sum(args, partials);
    for (const t of made) backend.disposeData(t.dataId);
    return result;
  };
  const kernelFunc = ((args: Args) =>
    sum(args, Array.from(args.inputs as unknown as ArrayLike<tf.TensorInfo>))) as tf.KernelFunc & {
    [CHUNKED]?: boolean;
  };
  kernelFunc[CHUNKED] = true;
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({ ...original, kernelFunc });
}

interface TfjsRegistry {
  registry: Record<string, tf.KernelBackend | undefined>;
  registryFactory: Record<string, unknown>;
}

function tfjsRegistry(): TfjsRegistry {
  return tf.engine() as unknown as TfjsRegistry;
}

/** Only one gradlab WebGPU adapter owns tfjs's "webgpu" backend at a time. */
let owner: { release(): Promise<void> } | null = null;

/**
 * Makes a WebGPU adapter. `webgpuBackend` is `createWebgpuBackend()`; the options are seams for
 * tests and unusual setups (a given navigator.gpu, another Dawn, fewer paths).
 */
export function createWebgpuBackend(options: WebgpuBackendOptions = {}): WebgpuBackendAdapter {
  const timeoutMs = options.timeoutMs ?? 30_000;

  function givenGpu(): GpuLike | undefined {
    if (options.gpu) return typeof options.gpu === 'function' ? options.gpu() : options.gpu;
    if (currentPlatform() === 'browser') {
      return (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
    }
    return undefined;
  }

  function usesDawn(): boolean {
    return !options.gpu && currentPlatform() === 'node';
  }

  function selectedPaths(): { paths: WebgpuPath[]; unknown: string[] } {
    const table = usesDawn() ? DAWN_PATHS : GPU_PATHS;
    const ids = pathsFrom(options);
    const paths = ids
      .map((id) => table.find((p) => p.id === id))
      .filter((p): p is WebgpuPath => p !== undefined);
    const unknown = ids.filter((id) => !table.some((p) => p.id === id));
    return { paths, unknown };
  }

  let dawn: Promise<DawnModule> | null = null;
  function loadDawn(): Promise<DawnModule> {
    dawn ??= (options.loadDawn ?? importDawn)().catch((e: unknown) => {
      dawn = null;
      throw e;
    });
    return dawn;
  }

  /** Asks one path for an adapter and a device; destroys the device. */
  async function tryPath(
    path: WebgpuPath,
    gpu: GpuLike,
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

  async function runProbe(): Promise<WebgpuInspection & { pathDef?: WebgpuPath }> {
    const tried: string[] = [];
    const { paths, unknown } = selectedPaths();
    if (unknown.length) {
      return {
        available: false,
        reason: `GRADLAB_WEBGPU_ADAPTER names unknown adapter paths: ${unknown.join(', ')}`,
        hint: `use ${PATH_IDS.join(', ')} (comma-separated), or unset it to try them all`,
        tried,
      };
    }
    if (paths.length === 0) {
      return {
        available: false,
        reason: 'no adapter path is selected',
        hint: `select one or more of ${PATH_IDS.join(', ')}, or unset GRADLAB_WEBGPU_ADAPTER`,
        tried,
      };
    }

    if (!usesDawn()) {
      const gpu = givenGpu();
      if (!gpu) {
        return {
          available: false,
          reason: 'no WebGPU here: navigator.gpu is undefined',
          hint: 'use a browser with WebGPU (Chrome or Edge 113+, a recent Safari or Firefox) on a secure (https or localhost) page, or the wasm backend',
          tried,
        };
      }
      for (const path of paths) {
        const outcome = await tryPath(path, gpu);
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

    let module: DawnModule;
    try {
      module = await loadDawn();
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
        tried,
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
        tried,
      };
    }

    for (const path of paths) {
      // Asking the real Dawn for a path whose library is missing only makes it print a warning
      // on stderr (every run would show "Couldn't load Vulkan"): skip it, saying why. An
      // injected Dawn (tests) is asked for every path.
      const missing = options.loadDawn ? '' : missingLibraryNote(path);
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
      const outcome = await tryPath(path, gpu);
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

  // A successful probe is kept: it costs a Dawn instance and a device, and activation uses the
  // adapter it chose. A failed one is answered again next time (something may have changed).
  let found: Promise<WebgpuInspection & { pathDef?: WebgpuPath }> | null = null;
  async function inspectInternal(): Promise<WebgpuInspection & { pathDef?: WebgpuPath }> {
    found ??= runProbe().catch(
      (e: unknown): WebgpuInspection => ({
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
  }

  interface Active {
    adapter: WebgpuAdapterDescription;
    readonly versions: Record<string, string>;
    uninstall: (() => void) | null;
    device: GpuDeviceLike | null;
  }
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
    const path = probed.pathDef;

    let gpu: GpuLike | undefined;
    const versions: Record<string, string> = {};
    try {
      if (usesDawn()) {
        const module = await loadDawn();
        installDawnGlobals(module.globals);
        prepareMesaEnvironment(path);
        gpu = module.create([...path.dawnFlags]);
        versions.webgpu = packageVersion(DAWN_SPECIFIER) ?? DAWN_PACKAGE_VERSION;
      } else {
        gpu = givenGpu();
      }
    } catch (e) {
      throw new GradlabError(
        'BACKEND_INIT_FAILED',
        `WebGPU failed to start on ${probed.adapter.name}: Dawn failed: ${message(e)}`,
      );
    }
    if (!gpu) {
      throw new GradlabError(
        'BACKEND_INIT_FAILED',
        'WebGPU failed to start: navigator.gpu is gone since the probe',
      );
    }
    const state: Active = { adapter: probed.adapter, versions, uninstall: null, device: null };
    const seen: { adapter: GpuAdapterLike | null } = { adapter: null };
    const wrapped = wrapGpu(gpu, path.request, (a) => {
      seen.adapter = a;
    });
    // tfjs checks navigator.gpu when its module loads and when its backend is constructed.
    state.uninstall = installNavigatorGpu(wrapped);
    try {
      const module = await import('@tensorflow/tfjs-backend-webgpu');
      versions['@tensorflow/tfjs-backend-webgpu'] =
        packageVersion('@tensorflow/tfjs-backend-webgpu') ?? TFJS_WEBGPU_VERSION;
      installChunkedAddN();
      const WebGPUBackend = module.WebGPUBackend as unknown as new (
        device: unknown,
        info?: unknown,
      ) => tf.KernelBackend;
      const engine = tfjsRegistry();
      if (engine.registry.webgpu === undefined) {
        // Our factory, not the one tfjs registered on import (priority 3, which would make it
        // tfjs's default): the same device request as tfjs 4.22's, on the probed adapter, and
        // the device kept so that release() can destroy it.
        if ('webgpu' in engine.registryFactory) tf.removeBackend('webgpu');
        tf.registerBackend(
          'webgpu',
          async () => {
            const adapter = await wrapped.requestAdapter({
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
            state.device = device;
            const info = adapter.info ?? (await adapter.requestAdapterInfo?.());
            return new WebGPUBackend(device, info);
          },
          TFJS_REGISTRY_PRIORITY,
        );
      }
      if (!(await tf.setBackend('webgpu'))) {
        throw new GradlabError(
          'BACKEND_INIT_FAILED',
          'the tfjs "webgpu" backend failed to initialise (tf.setBackend returned false); see the warnings above for the cause.',
        );
      }
      await tf.ready();
      // Describe the adapter tfjs actually got (the same one the probe found).
      const used = seen.adapter;
      if (used)
        state.adapter = describeAdapter(
          path,
          used,
          used.info ?? (await used.requestAdapterInfo?.()),
        );
      return state;
    } catch (e) {
      await teardown(state);
      if (e instanceof GradlabError) throw e;
      throw new GradlabError(
        'BACKEND_INIT_FAILED',
        `WebGPU failed to start on ${probed.adapter.name}: ${message(e)}`,
      );
    }
  }

  /** Disposes tfjs's webgpu backend, destroys its device, takes navigator.gpu back. */
  async function teardown(state: Active): Promise<void> {
    const engine = tfjsRegistry();
    const instance = engine.registry.webgpu as
      | (tf.KernelBackend & { device?: GpuDeviceLike })
      | undefined;
    const device = state.device ?? instance?.device ?? null;
    // removeBackend disposes the instance (its buffers) and forgets the factory, so that nothing
    // (not even tf.getBackend() choosing a default) can start it again without activate().
    if ('webgpu' in engine.registryFactory) tf.removeBackend('webgpu');
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
        const result = await inspectInternal();
        return result.available
          ? {
              available: true,
              detail: probeDetail(result.adapter, result.tried),
              // On a software (CPU) adapter WebGPU is slower than wasm: let `auto` prefer wasm.
              ...(result.adapter.software ? { priority: SOFTWARE_PRIORITY } : {}),
            }
          : { available: false, reason: result.reason, hint: result.hint };
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
      if (tfjsRegistry().registry.webgpu === undefined) {
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
      const a = active.adapter;
      return {
        name: 'webgpu',
        tfjsBackend: 'webgpu',
        device: deviceText(a),
        // tfjs's WebGPU kernels compute in f32 (WGSL f32; no f16 path in tfjs 4.22).
        floatPrecision: 32,
        epsilon: 2 ** -23,
        // dataSync/arraySync go through OffscreenCanvas, which Node lacks.
        capabilities: { syncReadback: currentPlatform() === 'browser', multithreaded: true },
        versions: { ...active.versions },
      };
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

/** The priority a software adapter reports to `auto`: below wasm (20), above cpu (10). */
export const SOFTWARE_PRIORITY = 15;

/** The WebGPU adapter: Dawn in Node (GPU, then software Vulkan, then OpenGL ES), navigator.gpu in a browser. */
export const webgpuBackend: WebgpuBackendAdapter = createWebgpuBackend();

export default webgpuBackend;
