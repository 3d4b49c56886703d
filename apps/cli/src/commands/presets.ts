import { listPresets, presetSpec } from '@gradlab/experiments';
import Table from 'cli-table3';
import { colorEnabled } from '../render/style.js';

/** `gradlab presets [name]`: the catalogue, or one preset's full spec as JSON to copy and edit. */
export async function presetsCommand(
  name: string | undefined,
  o: { json?: boolean },
): Promise<number> {
  if (name) {
    process.stdout.write(`${JSON.stringify(presetSpec(name), null, 2)}\n`);
    return 0;
  }
  const presets = listPresets();
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify(
        presets.map((p) => ({ ...p, spec: presetSpec(p.name) })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const color = colorEnabled(process.stdout);
  const table = new Table({
    head: ['preset', 'what it shows'],
    colWidths: [20, 90],
    wordWrap: true,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const p of presets) table.push([p.name, `${p.title}\n${p.claim}`]);
  process.stdout.write(
    `${table.toString()}\nRun one with \`gradlab run <preset>\`; print its spec with \`gradlab presets <preset>\`.\n`,
  );
  return 0;
}
