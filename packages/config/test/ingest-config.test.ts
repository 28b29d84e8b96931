import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

const production = { NODE_ENV: 'production', TOKEN_SECRET: 'a-production-secret-of-32-characters!' };

describe('ingest configuration', () => {
  it('stays off the network in tests and development unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).ingestEnabled).toBe(false);
    expect(loadConfig({}).ingestEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', INGEST_ENABLED: 'true' }).ingestEnabled).toBe(true);
  });

  it('fetches yesterday’s Hugging Face list nightly in production, refreshed before the digests', () => {
    const config = loadConfig(production);
    expect(config).toMatchObject({
      ingestEnabled: true,
      ingestSources: ['hf'],
      ingestHfCron: '15 0 * * *',
      ingestRefreshCron: '30 5 * * *',
      ingestArxivCron: '45 1 * * *',
      ingestArxivMaxResults: 200,
      ingestFetchRetries: 3,
      ingestFetchTimeoutSeconds: 30,
    });
    expect(loadConfig({ ...production, INGEST_ENABLED: 'false' }).ingestEnabled).toBe(false);
  });

  it('reads the sources as a list, and "none" as no source at all', () => {
    expect(loadConfig({ INGEST_SOURCES: 'hf, arxiv' }).ingestSources).toEqual(['hf', 'arxiv']);
    expect(loadConfig({ INGEST_SOURCES: 'none' }).ingestSources).toEqual([]);
  });

  it('turns one schedule off with "none" and keeps cron patterns as written', () => {
    const config = loadConfig({ INGEST_REFRESH_CRON: 'none', INGEST_HF_CRON: '0  3 * * 1-5' });
    expect(config.ingestRefreshCron).toBeNull();
    expect(config.ingestHfCron).toBe('0 3 * * 1-5');
  });

  it('reports every bad ingest variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        INGEST_SOURCES: 'hf,rss',
        INGEST_HF_CRON: 'every night',
        INGEST_ARXIV_MAX_RESULTS: '5000',
        INGEST_ENABLED: 'maybe',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/INGEST_SOURCES may only list hf, arxiv \(or none\), got "rss"/);
    expect(problems).toMatch(/INGEST_HF_CRON must be a cron pattern/);
    expect(problems).toMatch(/INGEST_ARXIV_MAX_RESULTS must be between 1 and 2000/);
    expect(problems).toMatch(/INGEST_ENABLED must be true or false/);
  });
});
