import type { SweepEvent } from '@gradlab/sweep';
import { describe, expect, it } from 'vitest';
import { latestCellText } from './sweep-latest.js';

type Finish = Extract<SweepEvent, { type: 'finish' }>;

const axes = ['model.depth', 'model.init'];
const finish = (entry: Record<string, unknown>): Finish =>
  ({
    type: 'finish',
    cell: { id: 'c1', params: { 'model.depth': 8, 'model.init': 'xavier-uniform' } },
    entry: { status: 'done', verdict: 'vanishing', finalLoss: 2.30123, seconds: 1.25, ...entry },
  }) as unknown as Finish;

const done = finish({});
const failed = finish({
  status: 'failed',
  verdict: null,
  error: 'its worker process was killed by SIGKILL\nstack...',
});
const at = (e: Finish, room: number | null) => latestCellText(e, axes, room, false);

describe('the latest cell of the sweep bar, cut to the room it has', () => {
  it('in full when there is room (or no limit)', () => {
    const full = 'model.depth=8 model.init=xavier-uniform: vanishing, loss 2.301 (1.3 s)';
    expect(at(done, null)).toBe(full);
    expect(at(done, full.length)).toBe(full);
  });

  it('gives way in the stated order: time, loss, axis names, then the values are cut', () => {
    expect(at(done, 62)).toBe('model.depth=8 model.init=xavier-uniform: vanishing, loss 2.301');
    expect(at(done, 50)).toBe('model.depth=8 model.init=xavier-uniform: vanishing');
    expect(at(done, 40)).toBe('8 xavier-uniform: vanishing, loss 2.301');
    expect(at(done, 30)).toBe('8 xavier-uniform: vanishing');
    expect(at(done, 20)).toBe('8 xavier…: vanishing');
    // Narrower than any label: the verdict alone, which the bar is for.
    expect(at(done, 10)).toBe('vanishing');
  });

  it('never wider than its room, whatever the room', () => {
    for (const e of [done, failed]) {
      for (let room = 0; room <= 90; room++) {
        expect([...at(e, room)].length, `room ${room}`).toBeLessThanOrEqual(room);
      }
    }
  });

  it('a failed cell: FAILED stays, its error (first line) is cut, then dropped', () => {
    expect(at(failed, null)).toBe(
      'model.depth=8 model.init=xavier-uniform: FAILED: its worker process was killed by SIGKILL',
    );
    expect(at(failed, 66)).toBe(
      'model.depth=8 model.init=xavier-uniform: FAILED: its worker proce…',
    );
    expect(at(failed, 30)).toBe('8 xavier-uniform: FAILED');
  });
});
