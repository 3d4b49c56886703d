import cliProgress from 'cli-progress';

/** Shown where cli-progress has no estimate yet. */
export const NO_ETA = '--';

/**
 * cli-progress's time format, except where it has no estimate: before the first update its ETA
 * is the string '0', with no progress to extrapolate from 'INF' (or 'NULL'), and its own format
 * turns those into "0s", "NFs" and "LLs". Those read "--" here; seconds keep the stock format.
 */
export const formatEta: cliProgress.TimeFormatter = (t, options, roundToMultipleOf) =>
  typeof t === 'number' && Number.isFinite(t)
    ? cliProgress.Format.TimeFormat(t, options, roundToMultipleOf)
    : NO_ETA;
