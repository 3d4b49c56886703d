import { listMitigations } from '@gradlab/mitigations';
import Table from 'cli-table3';
import { colorEnabled } from '../render/style.js';
import { fitLine, flexWidths, outputWidth } from '../render/width.js';

/** token, category and addresses as wide as their longest entry; the description wraps. */
const TOKEN = 27;
const CATEGORY = 19;
const ADDRESSES = 12;
const DESCRIPTION = 70;

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
  const width = outputWidth();
  // A narrow terminal drops the category (the token usually says it) before the description
  // gets narrower than 20 columns.
  const withCategory =
    width === null || width >= TOKEN + CATEGORY + ADDRESSES + DESCRIPTION / 2 + 5;
  const fixed = withCategory ? [TOKEN, CATEGORY, ADDRESSES] : [TOKEN, ADDRESSES];
  const table = new Table({
    head: withCategory
      ? ['token', 'category', 'addresses', 'what it does']
      : ['token', 'addresses', 'what it does'],
    colWidths: flexWidths(fixed, DESCRIPTION, width),
    wordWrap: true,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const m of all) {
    const what = `${m.title}. ${m.citation}`;
    table.push(
      withCategory ? [m.usage, m.category, m.addresses, what] : [m.usage, m.addresses, what],
    );
  }
  const hint = fitLine(
    'Join with "+" for one variant, separate variants with ",": gradlab compare deep-sigmoid --with relu+he-init,batchnorm',
    width,
  );
  process.stdout.write(`${table.toString()}\n${hint}\n`);
  return 0;
}
