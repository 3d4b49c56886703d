import { describe, expect, it } from 'vitest';
import { gradlab } from './test-cli.js';

/**
 * One vocabulary for options, read from the built command's own help: every command, as
 * `gradlab --help` lists them (and the subcommands of a group), so that a command added later
 * is held to it too.
 */
const at80 = { env: { COLUMNS: '80' } };

/** The command names a help text lists under "Commands:", `help` aside. */
function commandsIn(help: string): string[] {
  const section = help.split('\nCommands:\n')[1] ?? '';
  return [...section.matchAll(/^ {2}(\S+)/gm)]
    .map((m) => m[1] as string)
    .filter((c) => c !== 'help');
}

function everyCommand(): string[][] {
  const commands: string[][] = [[]];
  for (const name of commandsIn(gradlab(['--help'], at80).stdout)) {
    commands.push([name]);
    const own = gradlab([name, '--help'], at80).stdout;
    for (const sub of commandsIn(own)) commands.push([name, sub]);
  }
  return commands;
}

/** The option flags of a help text: "-o, --out <dir>", "--backends <names>", ... */
const flagsIn = (help: string) =>
  [...help.matchAll(/^ {2}((?:-\w, )?--[\w-]+(?: [<[][\w-]+[>\]])?)/gm)].map((m) => m[1] as string);

describe('one vocabulary for options across commands', () => {
  const commands = everyCommand();

  it('finds every command (run, sweep, bench, schema, runs clean, ...)', () => {
    const names = commands.map((c) => c.join(' '));
    for (const c of ['run', 'compare', 'sweep', 'verify', 'bench', 'schema', 'runs clean']) {
      expect(names).toContain(c);
    }
  });

  it('every --help keeps within 80 columns at COLUMNS=80', () => {
    for (const command of commands) {
      const r = gradlab([...command, '--help'], at80);
      expect(r.status, `gradlab ${command.join(' ')} --help`).toBe(0);
      const long = r.stdout.split('\n').filter((l) => [...l].length > 80);
      expect(long, `gradlab ${command.join(' ')} --help`).toEqual([]);
    }
  });

  it('a path to write is --out (-o), one backend --backend (-b), several --backends', () => {
    const seen = new Set<string>();
    for (const command of commands) {
      const what = `gradlab ${command.join(' ')}`;
      for (const flag of flagsIn(gradlab([...command, '--help'], at80).stdout)) {
        seen.add(flag);
        expect(flag, what).not.toMatch(/--output\b/);
        if (flag.startsWith('-o,')) expect(flag, what).toMatch(/^-o, --out <(dir|file)>$/);
        if (/--backend\b/.test(flag)) expect(flag, what).toMatch(/^-b, --backend <name>$/);
        if (/--backends\b/.test(flag)) expect(flag, what).toBe('--backends <names>');
      }
    }
    // The help was read: the options the rules are about are there to be checked.
    for (const flag of ['-o, --out <dir>', '-o, --out <file>', '-b, --backend <name>']) {
      expect(seen).toContain(flag);
    }
    expect(seen).toContain('--backends <names>');
    expect(seen).toContain('--json-of <command>');
  });
});

describe('old spellings still work, hidden, with a one-line note', () => {
  it('schema --output run: the schema of --json-of run, and a note naming --json-of', () => {
    const now = gradlab(['schema', '--json-of', 'run']);
    expect(now.status, now.stderr).toBe(0);
    expect(now.stderr).toBe('');
    const schema = JSON.parse(now.stdout) as { properties: object };
    expect(Object.keys(schema.properties).sort()).toEqual(['backend', 'record', 'result']);

    const old = gradlab(['schema', '--output', 'run']);
    expect(old.status, old.stderr).toBe(0);
    expect(old.stdout).toBe(now.stdout);
    expect(old.stderr).toBe('gradlab: --output is deprecated: use --json-of\n');

    // Still checked as before: an unknown command is bad input.
    expect(gradlab(['schema', '--output', 'compare']).status).toBe(2);
    expect(gradlab(['schema', '--help']).stdout).not.toContain('--output');
  });

  it('bench --backend: a note naming --backends; the new spelling says nothing', () => {
    const args = ['cpu', '--preset', 'tiny', '--rounds', '1', '--steps', '1', '-q'];
    const old = gradlab(['bench', '--backend', ...args]);
    expect(old.status, old.stderr).toBe(0);
    expect(old.stderr).toBe('gradlab: --backend is deprecated: use --backends\n');
    expect(old.stdout).toMatch(/│ cpu +│ bare +│/);
    const now = gradlab(['bench', '--backends', ...args]);
    expect(now.stderr).toBe('');
  });
});
