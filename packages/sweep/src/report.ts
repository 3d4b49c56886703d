import type { RunBundle } from '@gradlab/core';

/**
 * A cell's report.html, drawn from its bundle where the cell ran: drawing costs about as much
 * as training a tiny cell, so the workers draw in parallel rather than the sweep's one
 * process after each cell. Vega loads on the first call only.
 */
export async function renderCellReport(bundle: RunBundle): Promise<string> {
  const { renderRunReport } = await import('@gradlab/report');
  return renderRunReport({
    spec: bundle.spec,
    manifest: bundle.run,
    metrics: [...bundle.metrics],
    pretraining: [...bundle.pretraining],
  });
}
