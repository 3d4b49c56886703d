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
  const table = new Table({
    head: ['backend', 'priority', 'available', 'details'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    colWidths: flexWidths([11, 10, 11], 70, outputWidth()),
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
        : `${s.probe.reason}. To fix: ${s.probe.hint}`,
    ]);
  }
  process.stdout.write(
    `${table.toString()}\n${fitLine('"auto" picks the available backend with the highest priority.', outputWidth())}\n`,
  );
  return 0;
}
