import { listPresets, presetSpec } from '@gradlab/experiments';
import Table from 'cli-table3';
import { colorEnabled } from '../render/style.js';
import { fitLine, flexWidths, outputWidth } from '../render/width.js';

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
    colWidths: flexWidths([20], 90, outputWidth()),
    wordWrap: true,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const p of presets) table.push([p.name, `${p.title}\n${p.claim}`]);
  process.stdout.write(
    `${table.toString()}\n${fitLine('Run one with `gradlab run <preset>`; print its spec with `gradlab presets <preset>`.', outputWidth())}\n`,
  );
  return 0;
}
