import { stripVTControlCharacters } from 'node:util';
import type { RunEvent } from '@gradlab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type BarVariant, barLayout } from './bar-layout.js';
import { progressListener, runBarVariants } from './progress.js';

/** A stand-in for a terminal (or, with isTTY false, a pipe) that keeps what is written. */
function fakeStream(isTTY: boolean, columns?: number) {
  let written = '';
  const stream = {
    isTTY,
    columns,
    write(s: string) {
      written += s;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => written };
}

// cli-progress starts each redraw by moving the cursor to the first column (CSI n G).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape is what is matched
const TO_COLUMN = /\u001b\[\d*G/g;

/** The lines a terminal shows, one per redraw. */
function frames(text: string): string[] {
  return stripVTControlCharacters(text.replace(TO_COLUMN, '\n'))
    .split(/[\r\n]/)
    .filter((l) => l.trim() !== '');
}

function run(stream: NodeJS.WriteStream, total: number, loss: number) {
  const p = progressListener(stream, total);
  for (let step = 1; step <= total; step++) {
    p.listener({ type: 'step', step, loss, ms: 1234, diagnostics: null } as RunEvent);
  }
  p.stop();
}

const savedColumns = process.env.COLUMNS;
afterEach(() => {
  if (savedColumns === undefined) delete process.env.COLUMNS;
  else process.env.COLUMNS = savedColumns;
});

describe('the run progress bar fits the terminal', () => {
  for (const columns of [80, 120]) {
    it(`at ${columns} columns the last frame shows the verdict and ms/step, within the width`, () => {
      const { stream, text } = fakeStream(true, columns);
      run(stream, 10_000, -1.234e10);
      const last = frames(text()).at(-1) as string;
      expect(last.length).toBeLessThanOrEqual(columns);
      expect(last).toContain('10000/10000');
      expect(last).toContain('| healthy |');
      expect(last).toMatch(/1234 ms\/step$/);
      if (columns === 120) expect(last).toContain('steps | ETA');
    });
  }

  it('at 80 columns a 1,000-step run drops "steps" and the ETA, in that order, before the bar', () => {
    const at = (w: number) => barLayout(runBarVariants(1000), w);
    expect(at(120).format).toContain('steps | ETA');
    expect(at(120).barsize).toBe(40);
    expect(at(90)).toMatchObject({ barsize: 10 });
    expect(at(90).format).toContain('steps | ETA');
    expect(at(86).format).not.toContain('steps');
    expect(at(86).format).toContain('ETA');
    expect(at(80).format).not.toContain('ETA');
    expect(at(80).barsize).toBeGreaterThanOrEqual(10);
    expect(at(40)).toMatchObject({
      format: ' {value}/{total} | loss {loss} | {verdict} | {ms} ms/step',
      barsize: 0,
    });
  });

  it('without a width (no COLUMNS, not a terminal: --wide) the full line and bar', () => {
    const variants: BarVariant[] = [{ format: ' {bar} {value}', widestText: 5 }];
    expect(barLayout(variants, null)).toEqual({
      format: ' {bar} {value}',
      barsize: 40,
      flexRoom: null,
    });
  });

  it('not a terminal (CI logs, pipes): plain step lines, each within 80 columns', () => {
    process.env.COLUMNS = '80';
    const { stream, text } = fakeStream(false);
    run(stream, 100_000, -1.234e10);
    const lines = text().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines[0]).toMatch(/^step 1\/100000 {2}loss -1\.234e10 {2}healthy {2}1234 ms$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});
