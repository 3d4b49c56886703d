import { CORE_VERSION } from '@gradlab/core';
import type { RunEnvironment } from './live-record.js';

/** run.json's environment, for a run in a browser: no Node; the browser stands in for the OS. */
export function browserEnvironment(): RunEnvironment {
  const nav = globalThis.navigator;
  return {
    gradlabCore: CORE_VERSION,
    node: 'none (a browser)',
    platform: 'browser',
    arch: nav?.platform || 'unknown',
    cpu: nav?.userAgent ?? 'unknown',
    cpus: nav?.hardwareConcurrency ?? 1,
  };
}
