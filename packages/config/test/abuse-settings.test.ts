import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

const base = { NODE_ENV: 'test' };

describe('abuse and browser settings', () => {
  it('has limits on, CORS off and only private-network proxies trusted by default', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      rateLimitPerMinute: 120,
      signupsPerIpPerHour: 20,
      signupsPerAddressPerHour: 5,
      corsOrigins: [],
      trustProxy: ['loopback', 'linklocal', 'uniquelocal'],
    });
  });

  it('trusts no proxy at all when told none', () => {
    expect(loadConfig({ ...base, TRUST_PROXY: 'none' }).trustProxy).toEqual([]);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });

  it('keeps rate-limit keys under the queue prefix unless told otherwise', () => {
    expect(loadConfig({ ...base, QUEUE_PREFIX: '{blue}' }).rateLimitPrefix).toBe('{blue}rate:');
    expect(loadConfig({ ...base, RATE_LIMIT_PREFIX: 'limits:' }).rateLimitPrefix).toBe('limits:');
  });

  it('takes bare origins for CORS and refuses wildcards and paths', () => {
    expect(
      loadConfig({ ...base, CORS_ORIGINS: 'https://a.example, http://localhost:8080/' }).corsOrigins,
    ).toEqual(['https://a.example', 'http://localhost:8080']);
    for (const bad of ['*', 'https://a.example/signup', 'ftp://a.example', 'a.example'])
      expect(() => loadConfig({ ...base, CORS_ORIGINS: bad }), bad).toThrow(ConfigError);
  });

  it('refuses limits that are not positive whole numbers', () => {
    expect(() =>
      loadConfig({ ...base, RATE_LIMIT_PER_MINUTE: '0', SIGNUPS_PER_ADDRESS_PER_HOUR: 'many' }),
    ).toThrow(/RATE_LIMIT_PER_MINUTE[\s\S]*SIGNUPS_PER_ADDRESS_PER_HOUR/);
  });
});
