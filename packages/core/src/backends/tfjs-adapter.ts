import * as tf from '@tensorflow/tfjs-core';
import { GradlabError } from '../errors.js';
import {
  BACKEND_SPEC_VERSION,
  type BackendAdapter,
  type BackendInfo,
  type KnownGap,
  type Platform,
  type ProbeResult,
} from './adapter.js';
import { reregisterTfjsBackend } from './tfjs-engine.js';

/**
 * Helper for adapters of backends that ship as a tfjs backend package: it does the lazy,
 * once-only initialisation with one shared promise, checks setBackend's return value (tfjs
 * returns false instead of throwing when a backend fails to start), and releases cleanly.
 * An adapter supplies how to probe, how to load the module, and how to describe the device.
 */
export interface TfjsAdapterOptions {
  readonly name: string;
  readonly tfjsBackend: string;
  readonly priority: number;
  readonly platforms: readonly Platform[];
  readonly description: string;
  readonly probe: () => Promise<ProbeResult>;
  /** Imports (and configures) the tfjs backend package, registering it with tfjs. */
  readonly load: () => Promise<void>;
  /** Describes the device once the backend is initialised. */
  readonly describe: () => Promise<Omit<BackendInfo, 'name' | 'tfjsBackend'>>;
  readonly knownGaps?: readonly KnownGap[];
}

export function defineTfjsAdapter(o: TfjsAdapterOptions): BackendAdapter {
  let init: Promise<Omit<BackendInfo, 'name' | 'tfjsBackend'>> | null = null;
  const start = async () => {
    await o.load();
    if (!(await tf.setBackend(o.tfjsBackend))) {
      throw new GradlabError(
        'BACKEND_INIT_FAILED',
        `the tfjs "${o.tfjsBackend}" backend failed to initialise (tf.setBackend returned false); see the warnings above for the cause.`,
      );
    }
    await tf.ready();
    return o.describe();
  };
  return {
    specVersion: BACKEND_SPEC_VERSION,
    name: o.name,
    priority: o.priority,
    platforms: o.platforms,
    description: o.description,
    probe: o.probe,
    ...(o.knownGaps ? { knownGaps: o.knownGaps } : {}),
    async activate() {
      init ??= start().catch((e) => {
        init = null; // let a later call try again
        throw e;
      });
      const described = await init;
      if (tf.getBackend() !== o.tfjsBackend && !(await tf.setBackend(o.tfjsBackend))) {
        throw new GradlabError(
          'BACKEND_INIT_FAILED',
          `could not switch tfjs to the "${o.tfjsBackend}" backend`,
        );
      }
      return { name: o.name, tfjsBackend: o.tfjsBackend, ...described };
    },
    async release() {
      if (!init) return;
      init = null;
      // removeBackend disposes the backend instance but also forgets its factory, and the
      // package's module (which registered it) will not run again: register the factory anew.
      reregisterTfjsBackend(o.tfjsBackend);
    },
  };
}
