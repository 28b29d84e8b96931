import { Writable } from 'node:stream';
import { loadConfig } from '@paperboy/config';
import { createTestQueuePrefix, createTestSchema, TEST_REDIS_URL } from '@paperboy/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../src/index.ts';
import { TOKEN_SECRET } from './support/api-harness.ts';

const lines: string[] = [];
let api: Awaited<ReturnType<typeof startApi>>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const schema = await createTestSchema('logging');
  const prefix = createTestQueuePrefix('logging');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: schema.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix.prefix,
    PORT: '0',
    TOKEN_SECRET,
  });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  api = await startApi(config, pino({ level: 'info' }, sink));
  cleanup = async () => {
    await api.close();
    await prefix.remove();
    await schema.drop();
  };
});
afterAll(async () => {
  await cleanup?.();
});

describe('request logs', () => {
  it('never carry the token of a link', async () => {
    const token = 'bWFuYWdlfDEyM3wxfDA.c2VjcmV0LXNpZ25hdHVyZS10aGF0LW11c3Qtbm90LWxlYWs';
    for (const url of [
      `/manage/${token}`,
      `/manage/${token}/export?x=1`,
      `/u/${token}`,
      `/confirm/${token}`,
      `/data/${token}`,
      `/feeds/reader/${token}`,
    ])
      await api.app.inject({ url });
    await api.app.inject({ method: 'POST', url: `/u/${token}` });
    const log = lines.join('');
    expect(log).toContain('"url":"/manage/[redacted]/export?x=1"');
    expect(log).toContain('"url":"/u/[redacted]"');
    expect(log).toContain('"url":"/data/[redacted]"');
    expect(log).toContain('"url":"/feeds/reader/[redacted]"');
    expect(log).not.toContain('c2VjcmV0');
    expect(log).not.toContain('bWFuYWdl');
  });
});
