import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { CheckResult, Study } from '../study.js';
import { runStudy } from '../verify/run-study.js';
import type { StudyVerification } from '../verify/verification.js';

/**
 * Runs a study at its fast scale with `overrides` (a counterfactual) on the active backend,
 * as `gradlab verify --fast` would, and asserts that it completed and left no tensor behind.
 */
export async function verifyFast<S>(
  study: Study<S>,
  overrides?: Partial<S>,
): Promise<StudyVerification> {
  const before = tf.memory().numTensors;
  const verification = await runStudy(study, {
    scale: 'fast',
    ...(overrides ? { settings: overrides } : {}),
  });
  expect(verification.error).toBeUndefined();
  expect(verification.status).toBe('complete');
  expect(tf.memory().numTensors).toBe(before);
  return verification;
}

/** The check `id` of a verification; fails the test if the study did not report it. */
export function checkOf(verification: StudyVerification, id: string): CheckResult {
  const check = verification.checks.find((c) => c.id === id);
  expect(check, `check "${id}" reported`).toBeDefined();
  return check as CheckResult;
}

/** A check's number from `values`; fails the test if it is missing. */
export function numberOf(check: CheckResult, key: string): number {
  const value = check.values?.[key];
  expect(typeof value, `${check.id}.values.${key}`).toBe('number');
  return value as number;
}
