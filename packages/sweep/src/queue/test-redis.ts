/**
 * A private redis-server for a test: its own free loopback port and temp directory,
 * append-only persistence on, stopped (and restartable on the same data) by the test. Excluded
 * from the build (see tsconfig.build.json).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why the Redis tests cannot run here, or null when they can. */
export function redisMissing(): string | null {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0
    ? null
    : 'redis-server is not installed (Debian: apt-get install -y redis-server; .ci/run installs it)';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      text += d.toString();
      if (text.includes('\r\n')) done(text.startsWith('+PONG'));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Starts it (again, on the same port and data). */
  start(): Promise<void>;
  /** Stops it as an operator would (SIGTERM: the append-only file is flushed). */
  stop(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-redis-'));
  const pidFile = join(dir, 'pid');
  const pid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0);
  const redis: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    async start() {
      // Not daemonized: a child of the test that the test ends, whatever happens to it.
      const child: ChildProcess = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'yes',
          '--pidfile',
          pidFile,
          '--logfile',
          join(dir, 'redis.log'),
        ],
        { stdio: 'ignore' },
      );
      child.unref();
      for (let i = 0; i < 100; i++) {
        if (await ping(port)) return;
        await sleep(50);
      }
      throw new Error(`redis-server did not answer on port ${port}; see ${dir}/redis.log`);
    },
    async stop() {
      const p = pid();
      if (!p || !alive(p)) return;
      process.kill(p, 'SIGTERM');
      for (let i = 0; i < 200 && alive(p); i++) await sleep(25);
      if (alive(p)) process.kill(p, 'SIGKILL');
      rmSync(pidFile, { force: true });
    },
    async dispose() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}
