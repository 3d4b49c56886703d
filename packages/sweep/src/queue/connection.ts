import { GradlabError } from '@gradlab/core';
import type { RedisOptions } from 'ioredis';

/** A Redis server named by a redis:// (or rediss://, TLS) URL, checked. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username: string | null;
  readonly password: string | null;
  readonly tls: boolean;
  /** The URL as a user may be shown it: the password replaced with "***". */
  readonly display: string;
}

const EXAMPLE = 'redis://HOST:PORT, e.g. redis://127.0.0.1:6379 (rediss:// for TLS)';

function bad(option: string, value: string, why: string): GradlabError {
  return new GradlabError(
    'INVALID_ARGUMENT',
    `${option} ${JSON.stringify(value)}: ${why}. Expected ${EXAMPLE}, optionally with a database number (redis://HOST:PORT/2) and credentials (redis://:PASSWORD@HOST:PORT).`,
  );
}

/**
 * Parses and checks a Redis URL: redis://[USER:PASSWORD@]HOST[:PORT][/DB], or rediss:// for
 * TLS; the port defaults to 6379. Throws INVALID_ARGUMENT naming the option and the value.
 */
export function parseRedisUrl(value: string, option = '--queue'): RedisTarget {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    throw bad(option, value, `it does not start with redis:// (did you mean redis://${value}?)`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const port = /^[^/]*\/\/[^/]*:(\d+)(?:\/|$)/.exec(value)?.[1];
    if (port && Number(port) > 65535) {
      throw bad(option, value, `the port ${port} is not between 1 and 65535`);
    }
    throw bad(option, value, 'not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw bad(option, value, `the scheme is ${JSON.stringify(url.protocol.replace(/:$/, ''))}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw bad(option, value, 'there is no host');
  const port = url.port === '' ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw bad(option, value, `the port ${url.port} is not between 1 and 65535`);
  }
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^(0|[1-9][0-9]{0,3})$/.test(path)) {
    throw bad(option, value, `the path ${JSON.stringify(url.pathname)} is not a database number`);
  }
  if (url.search || url.hash) {
    throw bad(option, value, 'a query or fragment is not understood here');
  }
  const username = url.username ? decodeURIComponent(url.username) : null;
  const password = url.password ? decodeURIComponent(url.password) : null;
  const shown = new URL(url.href);
  if (shown.password) shown.password = '***';
  return {
    host,
    port,
    db: path === '' ? 0 : Number(path),
    username,
    password,
    tls: url.protocol === 'rediss:',
    display: shown.href.replace(/\/$/, ''),
  };
}

/**
 * ioredis options for BullMQ. `maxRetriesPerRequest: null` (BullMQ requires it for its
 * blocking connections): a command waits through a lost connection instead of failing, and
 * ioredis reconnects for ever, at most every 2 s; callers decide how long is too long.
 */
export function redisOptions(t: RedisTarget): RedisOptions {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectTimeout: 5000,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}
