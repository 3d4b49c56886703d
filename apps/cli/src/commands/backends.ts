import { probeBackends } from '@gradlab/core';
import Table from 'cli-table3';
import { colorEnabled, paint } from '../render/style.js';
import { fitLine, flexWidths, outputWidth } from '../render/width.js';

/** `gradlab backends`: every known backend, whether it is available here, and if not why. */
export async function backendsCommand(o: { json?: boolean }): Promise<number> {
  const statuses = await probeBackends();
  if (o.json) {
    process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    return 0;
  }
  const color = colorEnabled(process.stdout);
  const width = outputWidth();
  const table = new Table({
    head: ['backend', 'priority', 'available', 'details'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    colWidths: flexWidths([11, 10, 11], 70, width),
    wordWrap: true,
  });
  for (const s of statuses) {
    table.push([
      s.name,
      s.probe.available && s.probe.priority !== undefined && s.probe.priority !== s.priority
        ? `${s.priority} (${s.probe.priority} here)`
        : String(s.priority),
      s.probe.available ? paint(color, 'green', 'yes') : paint(color, 'red', 'no'),
      s.probe.available
        ? `${s.description}. ${s.probe.detail}`
        : `${s.probe.reason}. How to fix it: below.`,
    ]);
  }
  // The fixes name packages, paths and commands to copy: under the table, wrapped only at
  // spaces, so that none of them is cut short by a cell's width.
  const fixes = statuses.flatMap((s) =>
    s.probe.available ? [] : [fitLine(`To fix ${s.name}: ${s.probe.hint}`, width)],
  );
  process.stdout.write(
    `${[table.toString(), ...fixes, fitLine('"auto" picks the available backend with the highest priority.', width)].join('\n')}\n`,
  );
  return 0;
}
