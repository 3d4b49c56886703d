import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
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

/** A `gradlab worker` in the background, and everything it has printed so far. */
export interface BackgroundWorker {
  readonly child: ChildProcess;
  output(): string;
  /** SIGKILL, if it is still running. */
  kill(): void;
}

/** Starts `gradlab worker --queue <url> --backend <backend> --concurrency <n>`, without colour. */
export function startWorker(url: string, backend: string, concurrency: number): BackgroundWorker {
  const child = spawn(
    process.execPath,
    [bin, 'worker', '--queue', url, '--backend', backend, '--concurrency', String(concurrency)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    child,
    output: () => out,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
