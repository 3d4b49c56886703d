import { GradlabError } from '@gradlab/core';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a duration such as 90s, 30m, 2h or 7d into milliseconds (INVALID_ARGUMENT if not). */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!m) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${option} ${JSON.stringify(text)} is not a duration: give a number and a unit, s, m, h or d (e.g. 30m, 2h, 7d)`,
    );
  }
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
