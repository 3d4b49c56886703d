import * as tf from '@tensorflow/tfjs-core';

/**
 * The one seam into tfjs's engine internals. tfjs keeps each backend's factory (and its
 * instances, and the active backend's name) on its engine object, not in its public API, yet
 * an adapter needs them to leave tfjs as it found it: `tf.removeBackend` disposes a backend's
 * instance but also forgets its factory, and the package that registered the factory will not
 * run its module again. Every package reaches these fields through here, so that a tfjs upgrade
 * that changes them breaks one module and its test (tfjs-engine.test.ts), not three adapters.
 */

/** A backend factory as tfjs's engine keeps it. */
export interface TfjsBackendFactory {
  readonly factory: () => tf.KernelBackend | Promise<tf.KernelBackend>;
  readonly priority: number;
}

/** The engine fields gradlab reads (public at run time, absent from tfjs's types). */
export interface TfjsEngineInternals {
  /** undefined until a backend is first selected, null after the active one is removed. */
  readonly backendName: string | null | undefined;
  /** The backends' started instances, by name. */
  readonly registry: Readonly<Record<string, tf.KernelBackend | undefined>>;
  /** The registered factories, by name. */
  readonly registryFactory: Readonly<Record<string, TfjsBackendFactory | undefined>>;
}

/** tfjs's engine, typed as far as gradlab reads it. */
export function tfjsEngineInternals(): TfjsEngineInternals {
  return tf.engine() as unknown as TfjsEngineInternals;
}

/** The factory registered under `name`, if any. */
export function tfjsBackendFactory(name: string): TfjsBackendFactory | undefined {
  return tfjsEngineInternals().registryFactory[name];
}

/**
 * Disposes `name`'s instance and forgets its factory (tf.removeBackend), when one is
 * registered; tf.removeBackend itself throws on a name it does not know.
 */
export function forgetTfjsBackend(name: string): void {
  if (tfjsBackendFactory(name) !== undefined) tf.removeBackend(name);
}

/**
 * Disposes `name`'s instance but leaves it selectable: forgets it, then registers `keep` (by
 * default the factory registered now; null: none) again under the same name and priority. An
 * adapter's release() does this so that a later activate() finds the backend.
 */
export function reregisterTfjsBackend(
  name: string,
  keep: TfjsBackendFactory | null = tfjsBackendFactory(name) ?? null,
): void {
  forgetTfjsBackend(name);
  if (keep) tf.registerBackend(name, keep.factory, keep.priority);
}
