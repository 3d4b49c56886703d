import { describe, expect, it } from 'vitest';
import { printable, quoted } from './printable.js';

describe('printable', () => {
  it('writes escape sequences, NUL, DEL and C1 controls as visible \\xNN', () => {
    expect(printable('a\u001b[31mred\u0000\u007f\u009b')).toBe('a\\x1b[31mred\\x00\\x7f\\x9b');
  });

  it('keeps newlines, tabs and ordinary text (accents, emoji) as they are', () => {
    expect(printable('line one\n\tline two: déjà vu 🎉')).toBe('line one\n\tline two: déjà vu 🎉');
  });
});

describe('quoted', () => {
  it('quotes on one line: newlines and tabs escaped too', () => {
    expect(quoted('x\ny\t\u001b]0;title\u0007')).toBe('"x\\ny\\t\\x1b]0;title\\x07"');
  });
});
