/**
 * @gradlab/testkit/helpers: the small helpers gradlab's packages share in their tests (vitest).
 * They live in @gradlab/core/testing (where core's own tests can use them too: the testkit
 * depends on core, so core cannot dev-depend on the testkit); this entry re-exports them so that
 * a package's tests need only the testkit. Importing it registers tfjs's CPU backend
 * (@tensorflow/tfjs-backend-cpu, an optional peer of the testkit that a user of these helpers
 * installs).
 */
export { caught, expectClose, TEST_CPU_BACKEND, useCpu } from '@gradlab/core/testing';
