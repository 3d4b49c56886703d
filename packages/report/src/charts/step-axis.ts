/**
 * The x encoding of a chart over training steps: from the first step drawn to the last, not
 * rounded out to a "nice" bound (a 150-step run ended its axis at 160, as if it had run on).
 */
export function stepAxis(steps: readonly number[], title = 'step') {
  const finite = steps.filter((s) => Number.isFinite(s));
  const first = finite.length > 0 ? Math.min(...finite) : 0;
  const last = finite.length > 0 ? Math.max(...finite) : 1;
  // One step alone still needs an axis of some width.
  const domain: number[] = [first, last > first ? last : first + 1];
  return { field: 'step', type: 'quantitative', title, scale: { domain, nice: false } } as {
    readonly field: 'step';
    readonly type: 'quantitative';
    readonly title: string;
    readonly scale: { domain: number[]; nice: false };
  };
}
