import { describe, expect, it } from 'vitest';
import { markdownText } from './markdown-text.js';

describe('markdownText', () => {
  it('turns raw HTML into text', () => {
    expect(markdownText('<script>alert(1)</script> & <img src=x onerror=y>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=y&gt;',
    );
  });

  it('escapes links, images, emphasis, code and table pipes', () => {
    expect(markdownText('![x](http://a) [y](b) *em* __b__ `c` a|b ~~s~~ \\')).toBe(
      '!\\[x\\](http://a) \\[y\\](b) \\*em\\* \\_\\_b\\_\\_ \\`c\\` a\\|b \\~\\~s\\~\\~ \\\\',
    );
  });

  it('cannot start a heading or a list, nor a new line', () => {
    expect(markdownText('# title')).toBe('\\# title');
    expect(markdownText('- item')).toBe('\\- item');
    expect(markdownText('1. first')).toBe('\\1. first');
    expect(markdownText('a\n# b\r\nc')).toBe('a # b c');
  });

  it('leaves ordinary text alone', () => {
    expect(markdownText('tiny-relu (step 10), 5.0e-5 + 1')).toBe('tiny-relu (step 10), 5.0e-5 + 1');
  });
});
