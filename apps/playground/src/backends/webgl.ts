import { type BackendAdapter, defineTfjsAdapter } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';

/** The priority `auto` gives WebGL on a software renderer: below wasm (20), above cpu (10). */
const SOFTWARE_PRIORITY = 12;

interface GlInfo {
  readonly version: 1 | 2;
  readonly renderer: string;
  readonly software: boolean;
}

/** Opens a throwaway WebGL context to see what the browser offers, then lets it go. */
function inspectWebgl(): GlInfo | null {
  const canvas =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(1, 1)
      : typeof document !== 'undefined'
        ? document.createElement('canvas')
        : null;
  if (!canvas) return null;
  const gl2 = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
  const gl = gl2 ?? (canvas.getContext('webgl') as WebGLRenderingContext | null);
  if (!gl) return null;
  // The unmasked name says what draws (a GPU, or SwiftShader on the CPU); RENDERER alone is
  // "WebKit WebGL" in Chromium.
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return {
    version: gl2 ? 2 : 1,
    renderer,
    software: /swiftshader|llvmpipe|software/i.test(renderer),
  };
}

let seen: GlInfo | null = null;

/**
 * The tfjs WebGL backend, in the browser only: kernels are fragment shaders writing to float
 * textures. Where the browser renders WebGL on the CPU (SwiftShader, llvmpipe) it is slower
 * than wasm, and says so to `auto` with a lower priority.
 */
export const webglBackend: BackendAdapter = defineTfjsAdapter({
  name: 'webgl',
  tfjsBackend: 'webgl',
  priority: 25,
  platforms: ['browser'],
  description: 'tfjs WebGL backend: shaders on the GPU through WebGL 2',
  // Found by the conformance kit in Chromium (webgl.browser.test.ts), on SwiftShader.
  knownGaps: [
    {
      test: 'kernel/matMul-broadcast',
      reason:
        "tfjs-backend-webgl 4.22's BatchMatMul broadcasts the batch dimensions of one operand only: [2,1,5,7] @ [1,3,7,3] throws 'Size(45) must match the product of shape 2,3,5,3' (gradlab's models never broadcast the batch dimensions of a matMul)",
    },
    {
      test: 'kernel/gather-out-of-range',
      reason:
        "tfjs-backend-webgl's GatherV2 does not check its indices: an index out of range reads 0 instead of throwing, as tfjs documents for its GPU backends (gradlab's own indices, its batches, are always in range)",
    },
    {
      test: 'model/prelu',
      reason:
        "tfjs-backend-webgl 4.22 gets the gradient through tfjs's softmax cross-entropy (and through logSoftmax) slightly wrong from the second call on: this run, a classification MLP, agrees with cpu at step 1, then its hidden layers' gradient norms drift (over 10% with prelu's fast-moving slopes, 1e-4 to 3e-3 with tanh) while the loss and the output layer's gradients still agree; plain tfjs reproduces it with no gradlab code, and the same loss written with logSumExp agrees exactly",
    },
  ],
  async probe() {
    seen = inspectWebgl();
    if (!seen) {
      return {
        available: false,
        reason: 'this browser gives the page no WebGL context',
        hint: 'turn on hardware acceleration (or WebGL) in the browser settings, or use the wasm backend',
      };
    }
    return {
      available: true,
      detail: `WebGL ${seen.version} on ${seen.renderer}`,
      ...(seen.software ? { priority: SOFTWARE_PRIORITY } : {}),
    };
  },
  async load() {
    await import('@tensorflow/tfjs-backend-webgl');
  },
  async describe() {
    const { version_webgl } = await import('@tensorflow/tfjs-backend-webgl');
    const info = seen ?? inspectWebgl();
    const float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    return {
      device: `WebGL ${tf.env().getNumber('WEBGL_VERSION')}${info ? ` on ${info.renderer}` : ''}`,
      floatPrecision: float32 ? 32 : 16,
      epsilon: float32 ? 2 ** -23 : 2 ** -10,
      capabilities: { syncReadback: true, multithreaded: true },
      versions: { '@tensorflow/tfjs-backend-webgl': version_webgl },
    };
  },
});
