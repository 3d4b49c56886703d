import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { bin } from './test-cli.js';

/**
 * util-linux `script`, which runs a command on a pseudo-terminal: progress bars draw only on a
 * terminal, so only there can their width be tested end to end. Absent (macOS has a `script`
 * with other options; Windows none), the tests that need it are skipped.
 */
export const hasScript =
  process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

// cli-progress starts each redraw by moving the cursor to the first column (CSI n G).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape is what is matched
const TO_COLUMN = /\u001b\[\d*G/g;

/**
 * Runs `gradlab ...args` on a terminal `columns` wide (COLUMNS set to the same), without
 * colour, and returns every line it showed, each redraw of a bar as a line of its own, and
 * the exit code. stdout and stderr share the terminal, as they do for a user.
 */
export function gradlabOnTerminal(
  args: readonly string[],
  columns: number,
): { status: number | null; lines: string[] } {
  const command = [process.execPath, bin, ...args].map(quote).join(' ');
  const r = spawnSync(
    'script',
    ['-qec', `stty cols ${columns} rows 50; exec ${command}`, '/dev/null'],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', COLUMNS: String(columns) },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    },
  );
  const lines = stripVTControlCharacters(r.stdout.replace(TO_COLUMN, '\n'))
    .split(/[\r\n]/)
    .filter((l) => l.trim() !== '');
  return { status: r.status, lines };
}
