/**
 * Text quoted from a spec or record (a name, a description, a layer or backend name) as inert
 * Markdown: it reads the same, but cannot open a link, an image, emphasis, code, a table cell,
 * a heading or a list, nor carry raw HTML (`<script>`), whatever renders the file (GitHub, an
 * editor's preview, a static-site generator). One line: a newline would end a table row.
 */
export function markdownText(value: unknown): string {
  return (
    String(value)
      .replace(/\r\n?|\n/g, ' ')
      // Entities, not backslashes, for HTML's characters: a renderer that allows raw HTML
      // still sees text.
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replace(/[\\`*_[\]|~]/g, '\\$&')
      // What only means something at the start of a line: a heading, a list, a setext rule.
      .replace(/^(\s*)([#+=-]|\d+(?=[.)]))/, '$1\\$2')
  );
}
