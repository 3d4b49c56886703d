import { wasmBackend } from '@gradlab/backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { CheckResult, Study } from '../study.js';
import { runStudy } from '../verify/run-study.js';
import type { StudyVerification } from '../verify/verification.js';

/** What reports checks: a verification, or a study's outcome. */
interface Checked {
  readonly checks: readonly CheckResult[];
}

/** Makes wasm, the backend CI verifies the studies on, the active one if the study uses one. */
async function activateBackendOf<S>(study: Study<S>): Promise<void> {
  if (study.usesBackend) await wasmBackend.activate();
}

/**
 * Runs a study at its fast scale with `overrides` (a counterfactual) on the wasm backend, as
 * `gradlab verify --fast` would, and asserts that it completed and left no tensor behind.
 */
export async function verifyFast<S>(
  study: Study<S>,
  overrides?: Partial<S>,
): Promise<StudyVerification> {
  await activateBackendOf(study);
  // A study of host numerics only creates no tensor (and runs with no backend activated).
  const tensors = () => (study.usesBackend ? tf.memory().numTensors : 0);
  const before = tensors();
  const verification = await runStudy(study, {
    scale: 'fast',
    ...(overrides ? { settings: overrides } : {}),
  });
  expect(verification.error).toBeUndefined();
  expect(verification.status).toBe('complete');
  expect(tensors()).toBe(before);
  return verification;
}

/**
 * The fast verification of a study that must pass (see verifyFast): it reports its declared
 * checks, in their order, and each passes (a failing one is named with what it measured).
 */
export async function fastPass<S>(study: Study<S>): Promise<StudyVerification> {
  const verification = await verifyFast(study);
  expect(verification.checks.map((c) => c.id)).toEqual(study.checks?.map((c) => c.id));
  for (const c of verification.checks) expect(c.pass, `${c.id}: ${c.measured}`).toBe(true);
  expect(verification.pass).toBe(true);
  return verification;
}

/** Why the study refuses `overrides` of its fast settings (its error); fails the test if it runs. */
export async function refusalOf<S>(study: Study<S>, overrides: Partial<S>): Promise<string> {
  await activateBackendOf(study);
  const verification = await runStudy(study, { scale: 'fast', settings: overrides });
  expect(verification.status).toBe('error');
  return verification.error ?? '';
}

/** The check `id` of a verification or outcome; fails the test if the study did not report it. */
export function checkOf(outcome: Checked, id: string): CheckResult {
  const check = outcome.checks.find((c) => c.id === id);
  expect(check, `check "${id}" reported`).toBeDefined();
  return check as CheckResult;
}

/** A check's number from `values`; fails the test if it is missing. */
export function numberOf(check: CheckResult, key: string): number {
  const value = check.values?.[key];
  expect(typeof value, `${check.id}.values.${key}`).toBe('number');
  return value as number;
}
