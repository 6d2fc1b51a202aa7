/**
 * Where the job engine lives: a Redis URL (`redis://HOST:PORT[/DB]`, `rediss://` for TLS) turned
 * into BullMQ's connection options. Every sweep, worker and status call uses the one queue name,
 * so any worker pointed at the same Redis serves any sweep. BullMQ loads no Redis client of its
 * own under native ESM: each caller gets a client here and quits it when done.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { InputError } from '../../../core/util/errors';

export const QUEUE_NAME = 'agnews';

/** The connection options a Redis URL names; refused in one line when it names none. */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`--queue ${url}: not a URL; give the Redis server as redis://HOST:PORT`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new InputError(`--queue ${url}: the queue is a Redis server, redis://HOST:PORT (got ${u.protocol})`);
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new InputError(`--queue ${url}: the path names a Redis database number, got "${db}"`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: db ? Number(db) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ's workers block on Redis; ioredis must keep retrying rather than fail their commands.
    maxRetriesPerRequest: null,
    // A server that is not there should say so quickly instead of reconnecting forever.
    retryStrategy: (times: number) => (times > 20 ? null : Math.min(times * 200, 2000)),
  };
}

/** A new client for `url`; the caller quits it (BullMQ leaves a client it was given open). */
export function redisClient(url: string): Redis {
  return new Redis(redisOptions(url));
}
