import { createHash } from 'node:crypto';
import type { RedisConnection } from '@paperboy/queue';

/** A fixed-window counter after one more use: the count, and milliseconds until the window ends. */
export interface WindowCount {
  current: number;
  ttl: number;
}

export type WindowCountCallback = (error: Error | null, result?: WindowCount) => void;

// For each key in turn, exactly what @fastify/rate-limit's RedisStore does for one: INCR, and a
// fresh window (PEXPIRE) on the first use, else the window's time left. A key may appear more
// than once; each appearance counts one use, in order, as separate calls would.
const COUNT_ALL = `
local results = {}
for i = 1, #KEYS do
  local current = redis.call('INCR', KEYS[i])
  local ttl = tonumber(ARGV[i])
  if current == 1 then
    redis.call('PEXPIRE', KEYS[i], ttl)
  else
    ttl = redis.call('PTTL', KEYS[i])
  end
  results[2 * i - 1] = current
  results[2 * i] = ttl
end
return results
`;
const COUNT_ALL_SHA = createHash('sha1').update(COUNT_ALL).digest('hex');

/** Keys per script call: bounds how long one call holds Redis (it runs nothing else meanwhile). */
const MAX_KEYS_PER_CALL = 500;

interface PendingCount {
  key: string;
  windowMs: number;
  callback: WindowCountCallback;
}

/**
 * Which keys one script call may carry together. A Redis Cluster runs a script on one node, so
 * its keys must share a hash slot: keys with the same hash tag ({…}, which the default prefix
 * carries) do; a key without a tag goes alone. A single server takes any keys together.
 */
function callGroup(key: string, cluster: boolean): string {
  if (!cluster) return '';
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : `\0${key}`;
}

function isCluster(redis: RedisConnection): boolean {
  return 'nodes' in redis && typeof redis.nodes === 'function';
}

async function runCountAll(redis: RedisConnection, keys: string[], windows: number[]): Promise<unknown> {
  try {
    return await redis.evalsha(COUNT_ALL_SHA, keys.length, ...keys, ...windows);
  } catch (error) {
    // First use on this server (or after SCRIPT FLUSH or a restart): EVAL loads it for next time.
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return await redis.eval(COUNT_ALL, keys.length, ...keys, ...windows);
  }
}

/**
 * Counts uses of fixed-window counters in Redis, shared by every api replica, one Redis script
 * call per turn of the event loop instead of one per counter: under load the api counts three
 * budgets for every sign-up, and one call per counter cost Redis and the api a script run and a
 * command each. Same answers as counting one by one (the counts are atomic in Redis); each caller
 * waits at most until the end of the current turn (setImmediate) before the call goes out.
 */
export function createCounterBatcher(
  redis: RedisConnection,
): (key: string, windowMs: number, callback: WindowCountCallback) => void {
  const cluster = isCluster(redis);
  let pending: PendingCount[] = [];
  let scheduled = false;

  const send = (batch: PendingCount[]) => {
    runCountAll(
      redis,
      batch.map((count) => count.key),
      batch.map((count) => count.windowMs),
    ).then(
      (reply) => {
        if (!Array.isArray(reply) || reply.length !== batch.length * 2) {
          const error = new Error(
            `rate-limit counters: unexpected reply from Redis for ${batch.length} keys`,
          );
          for (const count of batch) count.callback(error);
          return;
        }
        for (const [index, count] of batch.entries())
          count.callback(null, { current: Number(reply[2 * index]), ttl: Number(reply[2 * index + 1]) });
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const count of batch) count.callback(failure);
      },
    );
  };

  const flush = () => {
    scheduled = false;
    const all = pending;
    pending = [];
    const groups = new Map<string, PendingCount[]>();
    for (const count of all) {
      const group = callGroup(count.key, cluster);
      const members = groups.get(group);
      if (members) members.push(count);
      else groups.set(group, [count]);
    }
    for (const members of groups.values())
      for (let start = 0; start < members.length; start += MAX_KEYS_PER_CALL)
        send(members.slice(start, start + MAX_KEYS_PER_CALL));
  };

  return (key, windowMs, callback) => {
    pending.push({ key, windowMs, callback });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
