import { listMitigations } from '@gradlab/mitigations';
import Table from 'cli-table3';
import { colorEnabled } from '../render/style.js';

/** `gradlab mitigations`: every strategy `compare --with` accepts, with what it addresses. */
export async function mitigationsCommand(o: { json?: boolean }): Promise<number> {
  const all = listMitigations();
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify(
        all.map(({ apply: _apply, ...rest }) => rest),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const color = colorEnabled(process.stdout);
  const table = new Table({
    head: ['token', 'category', 'addresses', 'what it does'],
    colWidths: [26, 16, 12, 70],
    wordWrap: true,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const m of all) table.push([m.usage, m.category, m.addresses, `${m.title}. ${m.citation}`]);
  process.stdout.write(
    `${table.toString()}\nJoin with "+" for one variant, separate variants with ",": gradlab compare deep-sigmoid --with relu+he-init,batchnorm\n`,
  );
  return 0;
}
