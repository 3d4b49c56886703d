import type { StepDiagnostics } from '@gradlab/core';

/** When the callback stops training: never, on NaN/Inf gradients, or also on exploding ones. */
export type StopOn = 'never' | 'non-finite' | 'exploding';

/**
 * Why training should stop after this probe, naming the step and the layers, or null. Like
 * Keras's TerminateOnNaN, but it says where: the layers whose gradients hold NaN/Inf (or that
 * exploded), input side first, and the decisive evidence.
 */
export function stopReason(
  d: StepDiagnostics,
  rule: StopOn,
  where: { step: number; epoch: number; batch: number },
): string | null {
  if (rule === 'never') return null;
  const nonFinite = d.verdict === 'non-finite' || !Number.isFinite(d.loss);
  const exploding = rule === 'exploding' && d.verdict === 'exploding';
  if (!nonFinite && !exploding) return null;
  const kind = nonFinite ? 'non-finite' : 'exploding';
  const layers = d.layers
    .filter((l) =>
      nonFinite ? l.nonFinite > 0 || !Number.isFinite(l.gradNorm) : l.verdict === 'exploding',
    )
    .map((l) => l.name);
  const evidence = d.evidence[0]?.summary;
  return `${kind} gradients at step ${where.step} (epoch ${where.epoch + 1}, batch ${where.batch + 1})${
    layers.length > 0 ? ` in ${layers.join(', ')}` : ''
  }${Number.isFinite(d.loss) ? '' : `, loss ${d.loss}`}${evidence ? ` (${evidence})` : ''}: training stopped`;
}
