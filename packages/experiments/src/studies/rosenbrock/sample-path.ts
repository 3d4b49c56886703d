/**
 * Which iterates of a path of `length` points to draw, at most about `budget` of them: every
 * one of the first few, then indices spaced evenly in log(k), so that a 20,000-step crawl and
 * a 5-step Newton run both keep their shape. Always includes the first and last. Sorted, distinct.
 */
export function samplePath(length: number, budget: number): number[] {
  if (length <= budget) return Array.from({ length }, (_, k) => k);
  const head = Math.floor(budget / 4);
  const picked = new Set<number>();
  for (let k = 0; k < head; k++) picked.add(k);
  const rest = budget - head;
  const from = Math.log(head);
  const to = Math.log(length - 1);
  for (let i = 0; i <= rest - 1; i++)
    picked.add(Math.round(Math.exp(from + ((to - from) * i) / (rest - 1))));
  picked.add(length - 1);
  return [...picked].sort((a, b) => a - b);
}
