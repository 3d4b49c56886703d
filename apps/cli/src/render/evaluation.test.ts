import { describe, expect, it } from 'vitest';
import { evaluationLine } from './evaluation.js';

describe('evaluationLine', () => {
  it('puts an MSE beside the closed-form predict-the-mean baseline, with its share of it', () => {
    const line = (loss: number) =>
      evaluationLine({ loss, accuracy: null, samples: 1024, baseline: 1 / 6 });
    expect(line(0.012)).toBe(
      'evaluation (inference mode, 1024 examples): final MSE 0.012 (predict-the-mean baseline 0.167, 7.2% of it)',
    );
    expect(line(0.16)).toContain('final MSE 0.16 (predict-the-mean baseline 0.167, 96% of it)');
    expect(line(4.29e-4)).toContain(
      'final MSE 4.29e-4 (predict-the-mean baseline 0.167, 0.26% of it)',
    );
    // Below 0.01%, the percentage takes formatNumber's exponent, as every small number does.
    expect(line(1e-6)).toContain('final MSE 1e-6 (predict-the-mean baseline 0.167, 6e-4% of it)');
    // A diverged run has no share to give.
    expect(line(Number.NaN)).toContain('final MSE NaN (predict-the-mean baseline 0.167)');
  });

  it('shows the loss, and the accuracy of a classifier, where there is no baseline', () => {
    expect(evaluationLine({ loss: 0.5, accuracy: 0.875, samples: 128, baseline: null })).toBe(
      'evaluation (inference mode, 128 examples): loss 5.00e-1, accuracy 87.5%',
    );
    expect(evaluationLine({ loss: 0.5, accuracy: null, samples: 64, baseline: null })).toBe(
      'evaluation (inference mode, 64 examples): loss 5.00e-1',
    );
  });
});
