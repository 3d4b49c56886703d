/**
 * The gradlab backend adapter specification, version 1: the whole extension point.
 * A backend package exports one object of this shape; see docs/adding-a-backend.md.
 *
 * Rules an adapter follows:
 * - `probe()` never throws and leaves nothing behind (no tfjs backend initialised, no global
 *   state changed): it says whether `activate()` can work here, and if not, why and how to fix it.
 * - `activate()` initialises the tfjs backend on first call (one shared promise), makes it the
 *   active tfjs backend on every call, and returns what it runs on. It throws a GradlabError
 *   ('BACKEND_INIT_FAILED') when the backend cannot start.
 * - `release()` frees what `activate()` acquired; a later `activate()` starts it again.
 * - Heavy modules are imported inside probe/activate, never at module load, so registering an
 *   adapter costs nothing.
 */
export const BACKEND_SPEC_VERSION = 1 as const;

export type Platform = 'node' | 'browser';

export interface BackendCapabilities {
  /** dataSync()/arraySync() work (they crash WebGPU in Node); gradlab itself never needs them. */
  readonly syncReadback: boolean;
  /** Kernels run on more than one thread. */
  readonly multithreaded: boolean;
}

export interface BackendInfo {
  /** The gradlab backend name ("cpu", "wasm", ...). */
  readonly name: string;
  /** The tfjs backend it activates. */
  readonly tfjsBackend: string;
  /** Human-readable device ("CPU (JavaScript)", "WASM SIMD", "NVIDIA H100 via Dawn/Vulkan"). */
  readonly device: string;
  /** Bits of the float type the kernels compute in (32, or 16 on some GPUs). */
  readonly floatPrecision: 16 | 32;
  /** Machine epsilon of that float type: the scale of tolerances against the CPU oracle. */
  readonly epsilon: number;
  readonly capabilities: BackendCapabilities;
  /** Versions of what runs (the tfjs backend package, native libraries). */
  readonly versions: Readonly<Record<string, string>>;
}

export type ProbeResult =
  | {
      readonly available: true;
      readonly detail: string;
      /**
       * The priority `auto` should use here, when it is lower than the adapter's own: a WebGPU
       * adapter that finds only a software (CPU) GPU ranks itself below wasm. It cannot raise
       * the adapter above its own priority (`auto` probes in that order and stops early).
       */
      readonly priority?: number;
    }
  | {
      readonly available: false;
      /** What is missing ("WebAssembly is not available in this runtime"). */
      readonly reason: string;
      /** How to get it ("install @tensorflow/tfjs-node-gpu and CUDA 11.2"). */
      readonly hint: string;
    };

/** A test of the conformance kit this backend is known to fail, and why. */
export interface KnownGap {
  readonly test: string;
  readonly reason: string;
}

export interface BackendAdapter {
  readonly specVersion: typeof BACKEND_SPEC_VERSION;
  readonly name: string;
  /** Higher wins when the user asks for "auto". cpu is 10, wasm 20. */
  readonly priority: number;
  readonly platforms: readonly Platform[];
  readonly description: string;
  probe(): Promise<ProbeResult>;
  activate(): Promise<BackendInfo>;
  release(): Promise<void>;
  readonly knownGaps?: readonly KnownGap[];
}

export function currentPlatform(): Platform {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown };
  return g.process?.versions?.node && typeof g.window === 'undefined' ? 'node' : 'browser';
}
