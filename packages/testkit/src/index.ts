/**
 * @gradlab/testkit: the conformance kit every gradlab backend passes. A backend package's whole
 * test file is
 *
 * ```ts
 * import { cpuBackend } from '@gradlab/backend-cpu';
 * import { describeBackendConformance } from '@gradlab/testkit';
 * import { wasmBackend } from './index.js';
 * describeBackendConformance({ adapter: wasmBackend, oracle: cpuBackend });
 * ```
 *
 * It registers, with vitest's describe/it, one `conformance: <name>` suite whose tests are named
 * by the stable ids of CONFORMANCE_TESTS: the adapter contract, every op and layer gradient and
 * whole training runs against the oracle (the CPU backend), determinism, memory, read-backs and
 * the registry's handling of an unavailable backend. See docs/adding-a-backend.md.
 */
import { type ConformanceOptions, registerConformance } from './suite.js';

export { fmt, maxRelDiff, relDiff, toleranceFor, ZERO_FLOOR } from './compare.js';
export { CONFORMANCE_TESTS, type ConformanceTestId } from './ids.js';
export { knownGapProblems } from './known-gaps.js';
export { MITIGATIONS_SPEC, MODEL_SPECS } from './runs.js';
export { describeBackendSoak, SOAK_SPEC, type SoakOptions } from './soak.js';
export type { ConformanceOptions } from './suite.js';

/**
 * Registers the conformance suite of `options.adapter`, compared with `options.oracle` (normally
 * the CPU backend) within `options.tolerance` (by default 1e-4 relative for fp32 backends,
 * 5e-2 for fp16: see `toleranceFor`).
 *
 * - A backend whose probe says it is unavailable here gets every test skipped, with the reason
 *   in the test's name and printed once (console.warn); 'probe/unavailable' still runs.
 * - Each `knownGaps` entry `{ test, reason }` names a test expected to FAIL: it passes when it
 *   fails, and fails with "known gap '<id>' now passes: remove it from knownGaps" when it
 *   passes. An id that is not in CONFORMANCE_TESTS fails the suite.
 */
export function describeBackendConformance(options: ConformanceOptions): void {
  registerConformance(options);
}
