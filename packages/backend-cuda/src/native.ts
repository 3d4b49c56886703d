import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  type BackendInfo,
  GradlabError,
  type ProbeResult,
  reregisterTfjsBackend,
  type TfjsBackendFactory,
  tfjsBackendFactory,
  tfjsEngineInternals,
} from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The shared machinery of the "cuda" and "tfjs-node" adapters. Both wrap a package that binds
 * TensorFlow's C library (libtensorflow 2.9.1) into Node: @tensorflow/tfjs-node-gpu (CUDA build)
 * and @tensorflow/tfjs-node (CPU build). Neither can be installed by default (their install
 * script downloads libtensorflow from storage.googleapis.com), so they are optional peer
 * dependencies, imported only inside probe()/activate() through a loader.
 *
 * What importing either package does (tfjs-node/src/index.ts, 4.22.0): it registers tfjs kernels
 * for a backend named "tensorflow", loads the native addon (tfjs_binding.node, which links
 * libtensorflow; this is where a missing library fails), registers the "tensorflow" backend
 * factory and SELECTS it (`tf.setBackend('tensorflow')`). The backend instance
 * (NodeJSKernelBackend) carries `isUsingGpuDevice`, which the addon computes once per process:
 * true when TensorFlow's device list holds a GPU. That is the test for "CUDA really in use".
 */

/** The tfjs backend name both packages register. */
export const TFJS_BACKEND = 'tensorflow';
/** The package version this adapter is written and documented for. */
export const TFJS_NODE_VERSION = '4.22.0';
/** The TensorFlow C library tfjs-node(-gpu) 4.x downloads and links. */
export const LIBTENSORFLOW_VERSION = '2.9.1';
/** Where the install guide lives in the gradlab repository. */
export const CUDA_DOC = 'docs/backends/cuda.md';

/**
 * What gradlab uses of the loaded package's module. Importing it registers and selects the tfjs
 * "tensorflow" backend; `version` is tfjs's version object plus `'tfjs-node'`.
 */
export interface TfjsNodeModule {
  readonly version?: Readonly<Record<string, unknown>>;
}

/** Loads (imports) @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu. May throw. */
export type TfjsNodeLoader = () => Promise<TfjsNodeModule>;

export interface NativeBackendOptions {
  /** How to load the package; the default imports it (see `importPackage`). */
  readonly load?: TfjsNodeLoader;
}

export interface Flavour {
  readonly name: string;
  readonly packageName: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';
  readonly priority: number;
  readonly description: string;
  /** The backend is only available when TensorFlow found a GPU (the "cuda" adapter). */
  readonly needsGpu: boolean;
  /** Reason and hint when the package itself is not installed. */
  readonly missing: () => { reason: string; hint: string };
  /** Hint when the package is there but requiring it throws (native addon, shared libraries). */
  readonly loadFailedHint: string;
  /** Reason and hint when the package loaded but TensorFlow found no GPU (cuda only). */
  readonly noGpu?: (tensorflow: string) => { reason: string; hint: string };
  /** BackendInfo.device, once initialised. */
  readonly device: (facts: NativeFacts) => Promise<string>;
  /** ProbeResult.detail when available. */
  readonly detail: (facts: NativeFacts, version: string) => Promise<string>;
}

/** What the loaded package's backend says about itself. */
export interface NativeFacts {
  /** NodeJSKernelBackend.isUsingGpuDevice; undefined when the backend has no such flag. */
  readonly usingGpu: boolean | undefined;
  /** The TensorFlow C library's version (binding.TF_Version), when known. */
  readonly tensorflow: string | undefined;
}

/**
 * Which of the two packages has loaded its native TensorFlow into this process. Both register
 * the same tfjs backend name and link a library of the same soname (libtensorflow.so.2), so only
 * one of them can work per process.
 */
let nativeOwner: string | null = null;

/**
 * Probes and activations of both adapters run one at a time: each temporarily changes tfjs's
 * global registry (importing the package selects its backend) and `probeBackends` probes all
 * adapters concurrently.
 */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).trim();

/**
 * True when `e` says that the package itself cannot be found: Node's "Cannot find module
 * '<pkg>'" (require, MODULE_NOT_FOUND) or "Cannot find package '<pkg>' imported from ..."
 * (import, ERR_MODULE_NOT_FOUND). A missing file inside the package (its native addon) is named
 * by its path, and a missing dependency of the package by that dependency's name: both mean the
 * package is there but failed to load.
 */
export function isPackageNotFound(e: unknown, packageName: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  const message = messageOf(e);
  return message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
}

/**
 * The default loader: resolves the package from this module, then (for a gradlab installed
 * elsewhere, e.g. globally) from the working directory, and imports it.
 */
export function importPackage(packageName: string): TfjsNodeLoader {
  return async () => {
    const { createRequire } = await import('node:module');
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    let resolved: string;
    try {
      resolved = createRequire(import.meta.url).resolve(packageName);
    } catch (e) {
      if (!isPackageNotFound(e, packageName)) throw e;
      try {
        resolved = createRequire(join(process.cwd(), 'index.js')).resolve(packageName);
      } catch (fromCwd) {
        throw isPackageNotFound(fromCwd, packageName) ? e : fromCwd;
      }
    }
    const namespace = (await import(pathToFileURL(resolved).href)) as TfjsNodeModule & {
      readonly default?: TfjsNodeModule;
    };
    // A CommonJS package seen through import(): its exports are also on `default`.
    return namespace.version === undefined && namespace.default ? namespace.default : namespace;
  };
}

function readFacts(backend: unknown): NativeFacts {
  const b = backend as
    | { readonly isUsingGpuDevice?: unknown; readonly binding?: { readonly TF_Version?: unknown } }
    | undefined;
  const version = b?.binding?.TF_Version;
  return {
    usingGpu: typeof b?.isUsingGpuDevice === 'boolean' ? b.isUsingGpuDevice : undefined,
    tensorflow: typeof version === 'string' ? version : undefined,
  };
}

/** The package's versions as BackendInfo.versions: tfjs's packages by full name, plus libtensorflow. */
function versionsOf(
  module: TfjsNodeModule | null,
  packageName: string,
  facts: NativeFacts | null,
): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const [key, value] of Object.entries(module?.version ?? {})) {
    if (typeof value === 'string') {
      versions[key === 'tfjs-node' ? packageName : `@tensorflow/${key}`] = value;
    }
  }
  if (facts?.tensorflow) versions.libtensorflow = facts.tensorflow;
  return versions;
}

type Loaded =
  | { readonly kind: 'loaded' }
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

type Described = Omit<BackendInfo, 'name' | 'tfjsBackend'>;

export function createNativeAdapter(f: Flavour, options: NativeBackendOptions): BackendAdapter {
  const load = options.load ?? importPackage(f.packageName);
  let module: TfjsNodeModule | null = null;
  let factory: TfjsBackendFactory | null = null;
  let facts: NativeFacts | null = null;
  let init: Promise<Described> | null = null;

  /**
   * Loads the package (once: the module system caches it) and keeps its backend factory and
   * facts, then puts tfjs's registry and active backend back as they were before the call:
   * importing the package registers "tensorflow" and selects it, which a probe must not leave.
   */
  async function loadTidily(): Promise<Loaded> {
    const engine = tfjsEngineInternals();
    const hadFactory = tfjsBackendFactory(TFJS_BACKEND) !== undefined;
    const before = engine.backendName;
    try {
      try {
        module = await load();
      } catch (e) {
        return isPackageNotFound(e, f.packageName)
          ? { kind: 'missing', message: messageOf(e).split('\n')[0] ?? '' }
          : { kind: 'failed', message: messageOf(e) };
      }
      nativeOwner ??= f.packageName;
      const entry = tfjsBackendFactory(TFJS_BACKEND);
      if (entry) factory = entry;
      if (!facts && factory) {
        const live = engine.registry[TFJS_BACKEND];
        if (live) {
          facts = readFacts(live);
        } else {
          const probeInstance = await factory.factory();
          try {
            facts = readFacts(probeInstance);
          } finally {
            probeInstance.dispose();
          }
        }
      }
      return { kind: 'loaded' };
    } finally {
      if (!hadFactory && tfjsBackendFactory(TFJS_BACKEND) !== undefined) {
        if (before != null && before !== TFJS_BACKEND && engine.backendName === TFJS_BACKEND) {
          await tf.setBackend(before);
        }
        tf.removeBackend(TFJS_BACKEND);
      } else if (before != null && engine.backendName !== before) {
        await tf.setBackend(before);
      }
    }
  }

  async function judge(): Promise<ProbeResult> {
    if (nativeOwner !== null && nativeOwner !== f.packageName) {
      return {
        available: false,
        reason: `${nativeOwner} is already loaded in this process, and ${f.packageName} cannot load beside it (both bind TensorFlow's C library and register the tfjs "${TFJS_BACKEND}" backend)`,
        hint: `select this backend alone (\`--backend ${f.name}\`) so that only ${f.packageName} loads, or uninstall one of the two packages`,
      };
    }
    const loaded = await loadTidily();
    if (loaded.kind === 'missing') {
      const { reason, hint } = f.missing();
      return { available: false, reason: `${reason} (${loaded.message})`, hint };
    }
    if (loaded.kind === 'failed') {
      return {
        available: false,
        reason: `${f.packageName} is installed but failed to load: ${loaded.message}`,
        hint: f.loadFailedHint,
      };
    }
    if (!factory || !facts) {
      return {
        available: false,
        reason: `${f.packageName} loaded but registered no tfjs "${TFJS_BACKEND}" backend`,
        hint: `make sure one @tensorflow/tfjs-core ${TFJS_NODE_VERSION} serves both gradlab and ${f.packageName} (\`npm ls @tensorflow/tfjs-core\`)`,
      };
    }
    const version =
      typeof module?.version?.['tfjs-node'] === 'string'
        ? module.version['tfjs-node']
        : 'unknown version';
    if (f.needsGpu && facts.usingGpu === false && f.noGpu) {
      return { available: false, ...f.noGpu(facts.tensorflow ?? LIBTENSORFLOW_VERSION) };
    }
    return { available: true, detail: await f.detail(facts, version) };
  }

  async function start(): Promise<Described> {
    const verdict = await judge();
    if (!verdict.available) {
      throw new GradlabError(
        'BACKEND_INIT_FAILED',
        `the "${f.name}" backend cannot start: ${verdict.reason}. To fix: ${verdict.hint}.`,
      );
    }
    const entry = factory as TfjsBackendFactory;
    if (tfjsBackendFactory(TFJS_BACKEND) === undefined) {
      tf.registerBackend(TFJS_BACKEND, entry.factory, entry.priority);
    }
    if (!(await tf.setBackend(TFJS_BACKEND))) {
      throw new GradlabError(
        'BACKEND_INIT_FAILED',
        `the tfjs "${TFJS_BACKEND}" backend of ${f.packageName} failed to initialise (tf.setBackend returned false); see the warnings above for the cause.`,
      );
    }
    await tf.ready();
    const known = facts as NativeFacts;
    return {
      device: await f.device(known),
      floatPrecision: 32,
      epsilon: 2 ** -23,
      // TensorFlow runs its kernels on intra-op thread pools (or on the GPU).
      capabilities: { syncReadback: true, multithreaded: true },
      versions: versionsOf(module, f.packageName, known),
    };
  }

  return {
    specVersion: BACKEND_SPEC_VERSION,
    name: f.name,
    priority: f.priority,
    platforms: ['node'],
    description: f.description,
    probe() {
      return exclusive(async (): Promise<ProbeResult> => {
        try {
          return await judge();
        } catch (e) {
          return {
            available: false,
            reason: `probing ${f.packageName} failed: ${messageOf(e)}`,
            hint: `see ${CUDA_DOC} in the gradlab repository`,
          };
        }
      });
    },
    activate() {
      return exclusive(async (): Promise<BackendInfo> => {
        init ??= start().catch((e: unknown) => {
          init = null; // a later call may try again
          throw e;
        });
        const described = await init;
        if (tf.getBackend() !== TFJS_BACKEND && !(await tf.setBackend(TFJS_BACKEND))) {
          throw new GradlabError(
            'BACKEND_INIT_FAILED',
            `could not switch tfjs to the "${TFJS_BACKEND}" backend`,
          );
        }
        return { name: f.name, tfjsBackend: TFJS_BACKEND, ...described };
      });
    },
    release() {
      return exclusive(async () => {
        if (!init) return;
        init = null;
        // removeBackend disposes the instance and forgets the factory, and the package's module
        // (which registered it) will not run again: register the kept factory anew, as
        // defineTfjsAdapter does, so that a later activate() finds it.
        reregisterTfjsBackend(TFJS_BACKEND, factory);
      });
    },
  };
}
