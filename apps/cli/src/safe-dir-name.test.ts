import { describe, expect, it } from 'vitest';
import { SAFE_NAME_MAX_CHARS, safeDirName } from './safe-dir-name.js';

describe('safeDirName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeDirName('reference-sigmoid_v2.1+bn')).toBe('reference-sigmoid_v2.1+bn');
    expect(safeDirName('réseau-profond-日本')).toBe('réseau-profond-日本');
  });

  it('leaves no separator or parent step: a name cannot climb out of the runs directory', () => {
    expect(safeDirName('x/../../../escaped')).toBe('x-escaped');
    expect(safeDirName('..\\..\\windows')).toBe('windows');
    expect(safeDirName('../..')).toBe('experiment');
  });

  it('drops NUL, escape sequences and other control characters', () => {
    expect(safeDirName('a\u0000b')).toBe('a-b');
    expect(safeDirName('\u001b[31mred\u001b[0m')).toBe('31mred-0m');
  });

  it('has no leading dot (hidden files) and is never empty', () => {
    expect(safeDirName('.hidden')).toBe('hidden');
    expect(safeDirName('   ')).toBe('experiment');
    expect(safeDirName('')).toBe('experiment');
  });

  it('is bounded in length', () => {
    expect(Array.from(safeDirName('é'.repeat(500)))).toHaveLength(SAFE_NAME_MAX_CHARS);
  });
});
