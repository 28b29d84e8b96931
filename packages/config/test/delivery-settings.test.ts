import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

const base = { NODE_ENV: 'test' };

describe('delivery guarantee settings', () => {
  it('runs on real time, resends after a crash, sends at any rate and checks schedulers every 30 s by default', () => {
    expect(loadConfig(base)).toMatchObject({
      clockStart: null,
      onUncertain: 'resend',
      sendRatePerSecond: null,
      smtpTimeoutSeconds: 30,
      schedulerCheckSeconds: 30,
    });
  });

  it('starts the clock at CLOCK_START, an instant with a zone', () => {
    const config = loadConfig({ ...base, CLOCK_START: '2026-03-29T00:30:00Z', ON_UNCERTAIN: 'skip' });
    expect(config.clockStart?.toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(config.onUncertain).toBe('skip');
  });

  it('refuses a shifted clock in production and reports every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'production',
        TOKEN_SECRET: 'a-production-secret-of-enough-length-42',
        CLOCK_START: '2026-03-29T00:30:00Z',
        ON_UNCERTAIN: 'maybe',
        SEND_RATE_PER_SECOND: '0',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^ON_UNCERTAIN must be one of resend, skip/),
      expect.stringMatching(/^SEND_RATE_PER_SECOND must be between 1/),
      expect.stringMatching(/^CLOCK_START must not be set in production/),
    ]);
  });

  it('refuses an instant without a zone', () => {
    expect(() => loadConfig({ ...base, CLOCK_START: '2026-03-29 00:30' })).toThrow(
      /CLOCK_START must be an ISO instant/,
    );
  });
});
