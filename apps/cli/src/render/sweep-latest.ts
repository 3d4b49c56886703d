import { formatNumber } from '@gradlab/core';
import type { SweepEvent } from '@gradlab/sweep';
import { paint, paintVerdict } from './style.js';
import { cellLabel, paramText } from './sweep-labels.js';
import { clip } from './width.js';

type Finish = Extract<SweepEvent, { type: 'finish' }>;

const firstLine = (s: string | null) => (s ?? '').split('\n')[0] ?? '';
const columns = (s: string) => [...s].length;

/** The least of an error worth showing: less than this, and "FAILED" says as much. */
const SOME_ERROR = 12;

/**
 * What the sweep's progress says of the cell that just finished, within `room` columns (null:
 * no limit): "model.depth=8 model.init=he-normal: vanishing, loss 2.301 (1.2 s)". Its verdict
 * (or FAILED) is what it is for, so to fit it gives way in this order: the cell's time, its loss
 * (a failure's error is cut instead), the axis names (the values stay), then the values are cut.
 */
export function latestCellText(
  e: Finish,
  axes: readonly string[],
  room: number | null,
  color: boolean,
): string {
  const entry = e.entry;
  const done = entry.status === 'done';
  const word = done ? (entry.verdict ?? 'healthy') : 'FAILED';
  const painted = done
    ? paintVerdict(color, entry.verdict ?? 'healthy')
    : paint(color, 'red', word);
  const full = cellLabel(e.cell.params, axes);
  const shown = axes.filter((a) => a in e.cell.params);
  const values = shown.length > 0 ? shown.map((a) => paramText(e.cell.params[a])).join(' ') : full;
  const loss = formatNumber(entry.finalLoss, { digits: 4 });
  const time = entry.seconds === null ? '' : ` (${entry.seconds.toFixed(1)} s)`;
  const error = firstLine(entry.error);

  // What follows the word, as much as the room left after `label: WORD` allows.
  const details = (left: number): string[] => {
    if (done) return [`, loss ${loss}${time}`, `, loss ${loss}`, ''];
    const cut = left >= SOME_ERROR ? clip(`: ${error}`, left) : '';
    return error === '' ? [''] : [cut, ''];
  };
  const fits = (s: string) => room === null || columns(s) <= room;
  for (const label of [full, values]) {
    const head = `${label}: ${word}`;
    const left = room === null ? Number.POSITIVE_INFINITY : room - columns(head);
    const detail = details(left).find((d) => fits(`${head}${d}`));
    if (detail !== undefined) return `${label}: ${painted}${detail}`;
  }
  // The values cut, the word whole; on a very narrow line, the word alone.
  const label = clip(values, (room ?? 0) - columns(`: ${word}`));
  if (label !== '') return `${label}: ${painted}`;
  return clip(word, room) === word ? painted : clip(word, room);
}
