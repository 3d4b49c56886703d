/**
 * The backends this CLI registers (backends.ts), highest priority first, as its help texts
 * name them. Help is printed without loading any backend (loading them takes about a third of
 * a second), so the names are written once, here; backend-names.test.ts checks them against
 * the registry after registerKnownBackends(), so a backend registered there and missing here
 * (or the other way round) fails the tests.
 */
export const KNOWN_BACKENDS = ['cuda', 'blas', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;

/** "cuda, blas, ... or auto": what `--backend` takes. */
export const BACKEND_CHOICES = `${KNOWN_BACKENDS.join(', ')} or auto (the best available here)`;
