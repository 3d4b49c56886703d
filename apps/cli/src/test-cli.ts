import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built command: the end-to-end tests run it as a user does (`pnpm test` builds it first). */
export const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface GradlabCall {
  readonly cwd?: string;
  /** Flags for node itself, e.g. --jitless (which turns WebAssembly off). */
  readonly nodeArgs?: readonly string[];
  /** Extra environment. COLUMNS is removed unless given here: piped output, full tables. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `gradlab ...args` in a child process, without colour, and returns what it did. */
export function gradlab(args: readonly string[], call: GradlabCall = {}): SpawnSyncReturns<string> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  const { COLUMNS: _, ...env } = process.env;
  return spawnSync(process.execPath, [...(call.nodeArgs ?? []), bin, ...args], {
    cwd: call.cwd,
    encoding: 'utf8',
    env: { ...env, NO_COLOR: '1', ...call.env },
    timeout: 300_000,
  });
}
