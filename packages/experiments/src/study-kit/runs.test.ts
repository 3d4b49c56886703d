import type { StepDiagnostics } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import type { TrainedRun } from '../study.js';
import { finalAccuracy, finalLoss, firstStep, fullSteps, signalNorms } from './runs.js';

const step = (n: number, full: boolean): StepDiagnostics =>
  ({
    step: n,
    full,
    loss: 1,
    accuracy: null,
    globalGradNorm: 1,
    layers: [],
    evidence: [],
    signal: full
      ? {
          labels: ['dense1', 'dense2'],
          norms: [0.5, 2],
          ratioFirstToLast: 0.25,
          verdict: 'healthy',
        }
      : null,
    telemetry: {},
    verdict: 'healthy',
  }) as StepDiagnostics;

const run = (
  steps: StepDiagnostics[],
  evaluation: TrainedRun['result']['evaluation'],
): TrainedRun => ({ label: 'arm', steps, result: { evaluation } }) as unknown as TrainedRun;

describe('run measurements', () => {
  const trained = run([step(1, true), step(2, false), step(3, true)], {
    loss: 0.4,
    accuracy: 0.9,
    samples: 1024,
    baseline: null,
  });

  it('picks full-diagnostic steps, step 1 and its signal profile', () => {
    expect(fullSteps(trained).map((s) => s.step)).toEqual([1, 3]);
    expect(firstStep(trained).step).toBe(1);
    expect(signalNorms(firstStep(trained), 'arm')).toEqual([0.5, 2]);
    expect(finalAccuracy(trained)).toBe(0.9);
    expect(finalLoss(trained)).toBe(0.4);
  });

  it('says which run lacks what a study needs', () => {
    expect(() => firstStep(run([step(2, true)], null))).toThrow(
      /run "arm" has no full diagnostics of step 1/,
    );
    expect(() => signalNorms(step(2, false), 'arm')).toThrow(
      /run "arm" measured no backpropagated signal at step 2/,
    );
    expect(() => finalAccuracy(run([], null))).toThrow(/run "arm" has no evaluation accuracy/);
    expect(() => finalLoss(run([], null))).toThrow(/run "arm" has no evaluation/);
  });
});
