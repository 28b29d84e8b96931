import { describe, expect, it } from 'vitest';
import {
  DATA_LINK_TTL_SECONDS,
  dataUrl,
  feedTokenVersion,
  linkPaths,
  personalFeedUrl,
  signToken,
  verifyToken,
} from '../src/index.ts';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const subscriberId = '6f1c1f4e-8d0e-4b8a-9a3c-2f0d5b1e7c11';

describe('link tokens', () => {
  it('round-trips for the purpose they were signed for', () => {
    const token = signToken(secret, { purpose: 'unsubscribe', subscriberId, version: 3, expiresAt: 0 });
    expect(verifyToken(secret, token, 'unsubscribe')).toEqual({
      ok: true,
      claims: { purpose: 'unsubscribe', subscriberId, version: 3, expiresAt: 0 },
    });
  });

  it('never works for another purpose', () => {
    const token = signToken(secret, { purpose: 'unsubscribe', subscriberId, version: 1, expiresAt: 0 });
    expect(verifyToken(secret, token, 'manage')).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('refuses a token signed with another secret or altered in transit', () => {
    const token = signToken('another-secret-another-secret-another', {
      purpose: 'manage',
      subscriberId,
      version: 1,
      expiresAt: 0,
    });
    expect(verifyToken(secret, token, 'manage')).toEqual({ ok: false, reason: 'forged' });
    const good = signToken(secret, { purpose: 'manage', subscriberId, version: 1, expiresAt: 0 });
    const altered = `${Buffer.from(`manage|${subscriberId}|2|0`).toString('base64url')}.${good.split('.')[1]}`;
    expect(verifyToken(secret, altered, 'manage')).toEqual({ ok: false, reason: 'forged' });
  });

  it('expires', () => {
    const token = signToken(secret, { purpose: 'confirm', subscriberId, version: 1, expiresAt: 1_000 });
    expect(verifyToken(secret, token, 'confirm', new Date(2_000_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('carries no readable email address and rejects garbage', () => {
    const token = signToken(secret, { purpose: 'manage', subscriberId, version: 1, expiresAt: 0 });
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString()).not.toContain('@');
    for (const garbage of ['', '.', 'abc', 'a.b.c', 'x'.repeat(600), '%%%.%%%']) {
      expect(verifyToken(secret, garbage, 'manage').ok).toBe(false);
    }
  });

  it('a data link works for an hour, for export and erase only', () => {
    const issued = new Date('2026-12-02T03:00:00Z');
    const url = dataUrl(
      { publicBaseUrl: 'https://paperboy.test', tokenSecret: secret },
      { id: subscriberId, tokenVersion: 2 },
      issued,
    );
    const token = url.split('/data/')[1]!;
    expect(url.startsWith('https://paperboy.test/data/')).toBe(true);
    const before = new Date(issued.getTime() + (DATA_LINK_TTL_SECONDS - 1) * 1000);
    const after = new Date(issued.getTime() + (DATA_LINK_TTL_SECONDS + 1) * 1000);
    expect(verifyToken(secret, token, 'data', before)).toMatchObject({ ok: true, claims: { version: 2 } });
    expect(verifyToken(secret, token, 'data', after)).toEqual({ ok: false, reason: 'expired' });
    for (const purpose of ['manage', 'unsubscribe', 'confirm'] as const)
      expect(verifyToken(secret, token, purpose, before)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });
});

describe('feed links', () => {
  const settings = { publicBaseUrl: 'https://paperboy.example.org', tokenSecret: secret };
  const tokenOf = (url: string) => url.slice(`${settings.publicBaseUrl}${linkPaths.feed}`.length);

  it('are feed tokens only, signed against both the link version and the feed link version', () => {
    const url = personalFeedUrl(settings, { id: subscriberId, tokenVersion: 2, feedLinkVersion: 3 });
    expect(url.startsWith('https://paperboy.example.org/feeds/reader/')).toBe(true);
    const check = verifyToken(secret, tokenOf(url), 'feed');
    expect(check).toEqual({ ok: true, claims: { purpose: 'feed', subscriberId, version: 5, expiresAt: 0 } });
    expect(verifyToken(secret, tokenOf(url), 'manage')).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('change whenever either version grows, so a new feed link or signing out all links revokes the old one', () => {
    const before = feedTokenVersion({ id: subscriberId, tokenVersion: 1, feedLinkVersion: 0 });
    expect(feedTokenVersion({ id: subscriberId, tokenVersion: 1, feedLinkVersion: 1 })).toBeGreaterThan(
      before,
    );
    expect(feedTokenVersion({ id: subscriberId, tokenVersion: 2, feedLinkVersion: 0 })).toBeGreaterThan(
      before,
    );
  });
});
