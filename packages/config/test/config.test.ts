import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

describe('loadConfig', () => {
  it('runs on a fresh machine with no variables set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: 'postgres://127.0.0.1:5432/paperboy',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: '{paperboy}',
      smtpUrl: null,
      adminToken: null,
      port: 3000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every bad variable in one message', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        REDIS_URL: 'http://cache',
        SMTP_URL: 'mailto:x',
        PAPERS_PER_DIGEST: '99',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        expect.stringContaining('REDIS_URL'),
        expect.stringContaining('SMTP_URL'),
        expect.stringContaining('PORT'),
        expect.stringContaining('PAPERS_PER_DIGEST'),
      ]);
    }
  });

  it('refuses to run production without a real token secret, and never echoes secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/TOKEN_SECRET is required in production/);
    try {
      loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: 'short-secret', ADMIN_TOKEN: 'tiny' });
    } catch (error) {
      expect((error as Error).message).toContain('TOKEN_SECRET must be at least 32 characters');
      expect((error as Error).message).not.toContain('short-secret');
      expect((error as Error).message).not.toContain('tiny');
    }
  });
});
