import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { studyProgress } from './study-progress.js';

/** A terminal that keeps what was written to it. */
function terminal(): { stream: NodeJS.WriteStream; written: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 120 });
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => text };
}

describe('studyProgress on a terminal', () => {
  it('shows "ETA --" until the study has moved, then an estimate in seconds', () => {
    const still = terminal();
    const bar = studyProgress(still.stream, 'rosenbrock', 0, 2);
    bar.progress('measuring', 0);
    bar.stop();
    expect(still.written()).toContain('[1/2] rosenbrock');
    expect(still.written()).toContain('0% | ETA -- | starting');
    expect(still.written()).toContain('0% | ETA -- | measuring');
    expect(still.written()).not.toMatch(/NFs|LLs/);

    const moving = terminal();
    const next = studyProgress(moving.stream, 'deep-linear', 1, 2);
    next.progress('half way', 0.5);
    next.stop();
    expect(moving.written()).toMatch(/50% \| ETA \d+s \| half way/);
  });
});
