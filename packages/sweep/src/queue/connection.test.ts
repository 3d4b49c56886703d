import { GradlabError } from '@gradlab/core';
import { describe, expect, test } from 'vitest';
import { parseRedisUrl, redisOptions } from './connection.js';
import { cellQueueName } from './jobs.js';
import { runSweepOnQueue } from './producer.js';
import { testCells } from './test-queue.js';
import { freePort } from './test-redis.js';

describe('parseRedisUrl', () => {
  test('host, port, database, credentials, TLS', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380')).toMatchObject({
      host: '10.0.0.5',
      port: 6380,
      db: 0,
      username: null,
      password: null,
      tls: false,
      display: 'redis://10.0.0.5:6380',
    });
    expect(parseRedisUrl('redis://redis.lab')).toMatchObject({ port: 6379 });
    expect(parseRedisUrl('rediss://u:p%40ss@redis.lab:7000/3')).toMatchObject({
      username: 'u',
      password: 'p@ss',
      db: 3,
      tls: true,
      display: 'rediss://u:***@redis.lab:7000/3',
    });
    expect(parseRedisUrl('redis://[::1]:6379').host).toBe('::1');
  });

  test.each([
    ['localhost:6379', 'it does not start with redis:// (did you mean redis://localhost:6379?)'],
    ['http://localhost:6379', 'the scheme is "http"'],
    ['redis://:6379', 'not a URL'],
    ['redis://host:0', 'the port 0 is not between 1 and 65535'],
    ['redis://host:99999', 'the port 99999 is not between 1 and 65535'],
    ['redis://host:6379/x', 'the path "/x" is not a database number'],
    ['redis://host:6379?db=1', 'a query or fragment is not understood here'],
  ])('%s is refused: %s', (value, why) => {
    let error: unknown;
    try {
      parseRedisUrl(value, '--queue');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradlabError);
    expect((error as GradlabError).code).toBe('INVALID_ARGUMENT');
    expect((error as GradlabError).message).toContain(`--queue ${JSON.stringify(value)}: ${why}`);
    expect((error as GradlabError).message).toContain('Expected redis://HOST:PORT');
  });

  test('BullMQ connection options: commands wait through a lost connection', () => {
    const o = redisOptions(parseRedisUrl('redis://:pw@h:1/2'));
    expect(o).toMatchObject({ host: 'h', port: 1, db: 2, password: 'pw' });
    expect(o.maxRetriesPerRequest).toBe(null);
    expect(o.retryStrategy?.(100)).toBe(2000);
  });

  test('queue names are per backend and BullMQ-safe', () => {
    expect(cellQueueName('cpu')).toBe('cells-cpu');
    expect(cellQueueName('tfjs-node')).toBe('cells-tfjs-node');
    expect(cellQueueName('a:b')).toBe('cells-a_b');
  });
});

test('a Redis that does not answer: a clear stop, naming the URL', async () => {
  const port = await freePort();
  const t0 = performance.now();
  const run = runSweepOnQueue({
    url: `redis://127.0.0.1:${port}`,
    cells: testCells(1).cells,
    connectMs: 300,
    onOutcome: async () => {},
  });
  await expect(run).rejects.toThrow(
    new RegExp(
      `^cannot reach the queue's Redis at redis://127.0.0.1:${port} \\(connect ECONNREFUSED .*\\)\\. Nothing is lost`,
    ),
  );
  await expect(run).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
  expect(performance.now() - t0).toBeLessThan(3000);
});
