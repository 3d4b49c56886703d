/** What the page knows of its backends: which it can run, and why not the others. */
export interface BackendAvailability {
  available(name: string): boolean;
  reasonUnavailable(name: string): string;
}

export interface LinkBackends {
  readonly backend: string;
  readonly compareWith: string | null;
  /** One message for each backend of the link that this browser cannot run. */
  readonly refusals: readonly string[];
}

/**
 * The backends a shared link asks for, as this browser can run them: an unavailable main
 * backend falls back to the one on the page, an unavailable second one is left out, and each
 * says so, since a link that silently ran something else would mislead whoever opened it.
 */
export function linkBackends(
  asked: { readonly backend: string; readonly compareWith: string | null },
  fallback: string,
  backends: BackendAvailability,
): LinkBackends {
  const refusals: string[] = [];
  const backend = backends.available(asked.backend) ? asked.backend : fallback;
  if (backend !== asked.backend) {
    refusals.push(
      `The link asks for the ${asked.backend} backend, which this browser cannot run (${backends.reasonUnavailable(asked.backend)}); running on ${backend} instead.`,
    );
  }
  let compareWith = asked.compareWith;
  if (compareWith && !backends.available(compareWith)) {
    refusals.push(
      `The link asks to compare with the ${compareWith} backend, which this browser cannot run (${backends.reasonUnavailable(compareWith)}); running on ${backend} alone.`,
    );
    compareWith = null;
  }
  return { backend, compareWith, refusals };
}
