import { fitLine } from './width.js';

/** Help is read in any terminal and in docs: it keeps to the narrowest one gradlab supports. */
export const HELP_WIDTH = 80;

const EXAMPLE = /^(\s+\$ )(.*)$/;

/**
 * An example too long for the help: its comment (after a gap of 2+ spaces) on the next line,
 * and a command still too long continued with " \" so that it can be copied as it is.
 */
function fitExample(indent: string, rest: string, width: number): string[] {
  const gap = rest.match(/^(.*?\S) {2,}(\S.*)$/);
  const command = gap ? (gap[1] as string) : rest;
  const lines: string[] = [];
  let line = indent;
  for (const word of command.split(' ')) {
    const next = line.endsWith(' ') ? `${line}${word}` : `${line} ${word}`;
    if (next.length + 2 > width && line.trim() !== '$') {
      lines.push(`${line} \\`);
      line = `${' '.repeat(indent.length + 2)}${word}`;
    } else line = next;
  }
  lines.push(line);
  if (gap) lines.push(`${' '.repeat(indent.length)}${gap[2]}`);
  return lines;
}

/**
 * Help text within HELP_WIDTH columns: commander wraps its own option lists; the texts added
 * after them (notes, exit codes, examples) are reflowed here, paragraph by paragraph, only
 * where a line is too long, so that the hand-made layout stays wherever it already fits.
 */
export function fitHelp(text: string, width = HELP_WIDTH): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.some((l) => l.length > width)) out.push(fitLine(paragraph.join(' '), width));
    else out.push(...paragraph);
    paragraph = [];
  };
  for (const line of text.split('\n')) {
    const example = line.match(EXAMPLE);
    if (line.trim() === '' || /^\s/.test(line)) {
      flush();
      out.push(
        ...(example && line.length > width
          ? fitExample(example[1] as string, example[2] as string, width)
          : line.length > width
            ? fitLine(line, width).split('\n')
            : [line]),
      );
    } else paragraph.push(line);
  }
  flush();
  return out.join('\n');
}
