import type { BackendAdapter } from '@gradlab/core';
import { type GpuNameLookup, nvidiaGpuName } from './gpu-name.js';
import {
  CUDA_DOC,
  createNativeAdapter,
  LIBTENSORFLOW_VERSION,
  type NativeBackendOptions,
  TFJS_NODE_VERSION,
} from './native.js';

export type { GpuNameLookup } from './gpu-name.js';
export { nvidiaGpuName } from './gpu-name.js';
export {
  importPackage,
  isPackageNotFound,
  LIBTENSORFLOW_VERSION,
  type NativeBackendOptions,
  TFJS_BACKEND,
  TFJS_NODE_VERSION,
  type TfjsNodeLoader,
  type TfjsNodeModule,
} from './native.js';

const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const CPU_PACKAGE = '@tensorflow/tfjs-node';

const mirrorRoute = (pkg: string, archive: string) =>
  `Its install script downloads libtensorflow ${LIBTENSORFLOW_VERSION} and a prebuilt addon from storage.googleapis.com; where that host is out of reach, point TFJS_NODE_CDN_STORAGE or TFJS_NODE_BASE_URI (and npm_config_tfjs_binding_binary_host_mirror for the addon) at a mirror, or install with --ignore-scripts and unpack ${archive} into node_modules/${pkg}/deps so that deps/lib/libtensorflow.so.${LIBTENSORFLOW_VERSION} is in place`;

export interface CudaBackendOptions extends NativeBackendOptions {
  /** How to find the GPU's name for BackendInfo.device; the default asks nvidia-smi. */
  readonly gpuName?: GpuNameLookup;
}

/**
 * The "cuda" backend: TensorFlow's C library on an NVIDIA GPU, through
 * @tensorflow/tfjs-node-gpu (an optional peer dependency, loaded only when probed). It is
 * available only when the package loads AND TensorFlow found a CUDA GPU; without one,
 * tfjs-node-gpu silently computes on the CPU, which this backend reports as unavailable.
 */
export function createCudaBackend(options: CudaBackendOptions = {}): BackendAdapter {
  const lookup = options.gpuName ?? nvidiaGpuName;
  let name: Promise<string | undefined> | null = null;
  const gpuName = () => {
    name ??= lookup().catch(() => undefined);
    return name;
  };
  return createNativeAdapter(
    {
      name: 'cuda',
      packageName: GPU_PACKAGE,
      priority: 40,
      description: `TensorFlow C library on an NVIDIA GPU (CUDA) via ${GPU_PACKAGE}`,
      needsGpu: true,
      missing() {
        const here = `${process.platform}-${process.arch}`;
        if (here !== 'linux-x64' && here !== 'win32-x64') {
          return {
            reason: `${GPU_PACKAGE} is not installed, and it has CUDA builds only for Linux x64 and Windows x64, not ${here}`,
            hint: 'use the "tfjs-node" backend (native CPU) or "wasm" on this machine',
          };
        }
        return {
          reason: `${GPU_PACKAGE} is not installed`,
          hint: `on a machine with an NVIDIA driver, CUDA 11.2 and cuDNN 8.1, run \`npm install ${GPU_PACKAGE}@${TFJS_NODE_VERSION}\` beside gradlab. ${mirrorRoute(GPU_PACKAGE, `libtensorflow-gpu-linux-x86_64-${LIBTENSORFLOW_VERSION}.tar.gz`)}, then run \`node scripts/install.js gpu\` in that folder with node_modules/.bin on PATH (\`npm rebuild\` would download again). See ${CUDA_DOC}`,
        };
      },
      loadFailedHint: `if the message names tfjs_binding.node, the package's install script did not finish: run it again (\`npm rebuild ${GPU_PACKAGE}\`, or the offline route in ${CUDA_DOC}). If it names a shared library (libtensorflow.so.2, libcudart.so.11.0, libcudnn.so.8), ${GPU_PACKAGE} ${TFJS_NODE_VERSION} needs libtensorflow ${LIBTENSORFLOW_VERSION} in its deps/lib, CUDA 11.2 and cuDNN 8.1: put their lib folders on LD_LIBRARY_PATH (e.g. /usr/local/cuda-11.2/lib64)`,
      noGpu: (tensorflow) => ({
        reason: `${GPU_PACKAGE} loaded, but TensorFlow ${tensorflow} found no CUDA GPU (its backend's isUsingGpuDevice is false), so it would compute on the CPU`,
        hint: `check that \`nvidia-smi\` lists a GPU (compute capability 3.5 or higher) and that CUDA_VISIBLE_DEVICES does not hide it. TensorFlow ${tensorflow} needs the CUDA 11.2 runtime and cuDNN 8.1 (libcudart.so.11.0, libcublas.so.11, libcudnn.so.8, ...) on LD_LIBRARY_PATH; its log above names any library it could not load ("Could not load dynamic library ..."). For native CPU, use the "tfjs-node" backend (${CPU_PACKAGE})`,
      }),
      async device(facts) {
        if (facts.usingGpu === undefined) {
          return "CUDA: unverified (TensorFlow's backend does not say whether it found a GPU)";
        }
        return `CUDA: ${(await gpuName()) ?? 'NVIDIA GPU (name unknown)'}`;
      },
      async detail(facts, version) {
        if (facts.usingGpu === undefined) {
          return `${GPU_PACKAGE} ${version} loaded, but gradlab cannot tell whether TensorFlow found a GPU (its backend has no isUsingGpuDevice flag): it may compute on the CPU`;
        }
        const gpu = await gpuName();
        return `${GPU_PACKAGE} ${version} loaded; TensorFlow ${facts.tensorflow ?? LIBTENSORFLOW_VERSION} found a CUDA GPU${gpu ? ` (${gpu})` : ''}`;
      },
    },
    options,
  );
}

/**
 * The "tfjs-node" backend: TensorFlow's C library on the CPU (multithreaded, native), through
 * @tensorflow/tfjs-node (an optional peer dependency, loaded only when probed).
 */
export function createTfjsNodeBackend(options: NativeBackendOptions = {}): BackendAdapter {
  return createNativeAdapter(
    {
      name: 'tfjs-node',
      packageName: CPU_PACKAGE,
      priority: 25,
      description: `TensorFlow C library on the CPU (native, multithreaded) via ${CPU_PACKAGE}`,
      needsGpu: false,
      missing: () => ({
        reason: `${CPU_PACKAGE} is not installed`,
        hint: `run \`npm install ${CPU_PACKAGE}@${TFJS_NODE_VERSION}\` beside gradlab. ${mirrorRoute(CPU_PACKAGE, `libtensorflow-cpu-linux-x86_64-${LIBTENSORFLOW_VERSION}.tar.gz`)}, then run \`npm rebuild ${CPU_PACKAGE}\`. See ${CUDA_DOC}`,
      }),
      loadFailedHint: `if the message names tfjs_binding.node, the package's install script did not finish: run it again (\`npm rebuild ${CPU_PACKAGE}\`, or the offline route in ${CUDA_DOC}). If it names libtensorflow.so.2, put libtensorflow ${LIBTENSORFLOW_VERSION} in the package's deps/lib (or its folder on LD_LIBRARY_PATH)`,
      device: async () => 'TensorFlow C library (native CPU)',
      detail: async (facts, version) =>
        `${CPU_PACKAGE} ${version} loaded; TensorFlow ${facts.tensorflow ?? LIBTENSORFLOW_VERSION} on the CPU`,
    },
    options,
  );
}

/** @tensorflow/tfjs-node-gpu on an NVIDIA GPU; priority 40. */
export const cudaBackend: BackendAdapter = createCudaBackend();

/** @tensorflow/tfjs-node, native CPU; priority 25 (above wasm, below cuda). */
export const tfjsNodeBackend: BackendAdapter = createTfjsNodeBackend();

/** Both adapters, for `nativeBackends.forEach(registerBackend)`. */
export const nativeBackends: readonly BackendAdapter[] = [cudaBackend, tfjsNodeBackend];

export default cudaBackend;
