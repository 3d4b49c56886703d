import { describe, expect, it } from 'vitest';
import { defaultOut } from './out-dir.js';

describe('defaultOut', () => {
  it('is runs/<time>-<a slug of the name>, one directory directly inside runs/', () => {
    expect(defaultOut('x/../../../escaped-cpu')).toMatch(/^runs[/\\]\d{8}-\d{6}-x-escaped-cpu$/);
    expect(defaultOut('..')).toMatch(/^runs[/\\]\d{8}-\d{6}-experiment$/);
    expect(defaultOut('C:\\windows\\a\u0000b')).toMatch(/^runs[/\\]\d{8}-\d{6}-C-windows-a-b$/);
  });
});
