import { describe, expect, test } from 'vitest';
import { isGradlabError } from '../errors.js';
import { formatBytes, parseByteSize } from './bytes.js';

describe('parseByteSize', () => {
  test.each([
    ['4GiB', 4 * 2 ** 30],
    ['512 MiB', 512 * 2 ** 20],
    ['2gb', 2e9],
    ['1.5KiB', 1536],
    ['1e9', 1e9],
    ['100', 100],
  ])('%s', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  test.each(['', 'lots', '4 GiG', '-1GiB', '0', 'GiB'])('refuses %j', (text) => {
    let error: unknown;
    try {
      parseByteSize(text, 'GRADLAB_MAX_MEMORY');
    } catch (e) {
      error = e;
    }
    expect(isGradlabError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toMatch(/^GRADLAB_MAX_MEMORY: .* is not a size/);
  });
});

test('formatBytes', () => {
  expect(formatBytes(512)).toBe('512 B');
  expect(formatBytes(1536)).toBe('1.50 KiB');
  expect(formatBytes(4 * 2 ** 30)).toBe('4.00 GiB');
});
