import { describe, expect, it } from 'vitest';
import { findMailRefs, mailRefFromAddress, signMailRef, verifyMailRef, verpAddress } from '../src/index.ts';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const deliveryId = '6f1c1f4e-8d0e-4b8a-9a3c-2f0d5b1e7c11';
const subscriberId = '0b7e3d5a-1111-4c2d-8e9f-0a1b2c3d4e5f';

describe('VERP addresses', () => {
  it('round-trip every kind of mail through a short, lowercase local part', () => {
    for (const ref of [
      { kind: 'digest', deliveryId },
      { kind: 'confirmation', subscriberId },
      { kind: 'welcome', subscriberId },
      { kind: 'notice', subscriberId },
    ] as const) {
      const address = verpAddress(secret, ref, 'Bounce.Example.org');
      const local = address.split('@')[0]!;
      expect(local).toMatch(/^bounces\+[a-z][0-9a-f]{52}$/);
      expect(local.length).toBeLessThanOrEqual(64);
      expect(mailRefFromAddress(secret, address, 'bounce.example.org')).toEqual(ref);
      // Some MTAs upper-case or bracket what they hand back.
      expect(mailRefFromAddress(secret, `<${address.toUpperCase()}>`, 'bounce.example.org')).toEqual(ref);
    }
  });

  it('refuse another secret, a changed id, another domain or kind, and garbage', () => {
    const token = signMailRef(secret, { kind: 'digest', deliveryId });
    expect(verifyMailRef('another-secret-another-secret-another', token)).toBeNull();
    expect(
      verifyMailRef(secret, `${token.slice(0, 5)}${token[5] === '0' ? '1' : '0'}${token.slice(6)}`),
    ).toBeNull();
    expect(verifyMailRef(secret, `c${token.slice(1)}`)).toBeNull();
    expect(mailRefFromAddress(secret, `bounces+${token}@elsewhere.example`, 'bounce.example.org')).toBeNull();
    for (const garbage of [
      '',
      'bounces+',
      'x'.repeat(500),
      `bounces+${token}`,
      `${token}@bounce.example.org`,
    ]) {
      expect(mailRefFromAddress(secret, garbage, 'bounce.example.org')).toBeNull();
    }
    expect(() => signMailRef(secret, { kind: 'digest', deliveryId: 'not-a-uuid' })).toThrow();
  });

  it('are found quoted inside a mangled report', () => {
    const address = verpAddress(secret, { kind: 'digest', deliveryId }, 'bounce.example.org');
    const text = `Return-Path: <${address.toUpperCase()}>\nX-Other: bounces+${'0'.repeat(53)}@bounce.example.org`;
    expect(findMailRefs(secret, text, 'bounce.example.org')).toEqual([{ kind: 'digest', deliveryId }]);
  });
});
