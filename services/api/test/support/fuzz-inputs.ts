import { randomUUID } from 'node:crypto';
import type { Subscriber } from '@paperboy/db';
import { signToken, type TokenPurpose } from '@paperboy/links';
import type { Random } from '@paperboy/testing';

/** Field values each schema must refuse: wrong types, out of range, too long, not real. */
export const INVALID_VALUES: Record<string, unknown[]> = {
  email: [
    '',
    'x',
    'no-at-sign',
    'a@',
    '@b.org',
    'a@b',
    'a b@c.org',
    '<a@b.org>',
    'a@b.org, c@d.org',
    `${'x'.repeat(300)}@e.org`,
    42,
    null,
    ['a@b.org'],
    {},
    'a@-b.org',
    'a@b..org',
    'a"b@c.org',
    true,
  ],
  topics: [
    123,
    'ai',
    null,
    {},
    [1],
    [''],
    ['x'.repeat(81)],
    Array.from({ length: 21 }, (_, i) => `t${i}`),
    ['ok', null],
    Array.from({ length: 3000 }, () => 'a'),
    [['nested']],
    true,
  ],
  timezone: [
    0,
    null,
    '',
    'x'.repeat(65),
    'Mars/Olympus_Mons',
    'UTC+5',
    'GMT-3',
    'Etc/GMT+99',
    '../../etc/passwd',
    'Europe/Berlin\u0000',
    'Europe/ Berlin',
    '%00',
    'America/New York',
    '😀',
    [],
    'Europe/Atlantis',
    "'; DROP TABLE subscribers; --",
  ],
  sendHour: [-1, 24, 7.5, '8', null, true, [], {}, 1e308, -0.5, 99_999_999_999, '0x08'],
  paperCount: [2, 26, 0, '10', null, 3.5, -5, 1e9, false],
  pauseDays: [-1, 91, 'x', null, 1.5, 365, '7'],
};

/** Form values the preference form must refuse (every form field is text). */
export const INVALID_FORM_VALUES: Record<string, string[]> = {
  topics: [
    'x'.repeat(2001),
    Array.from({ length: 30 }, (_, i) => `topic ${i}`).join(','),
    `${'y'.repeat(90)}, ok`,
  ],
  timezone: ['Mars/Base', 'UTC+5', ' ', '../etc', 'x'.repeat(101), 'Europe/Berlin; DROP'],
  sendHour: ['24', '-1', '7.5', 'eight', '1e3', '0x08', '9999', 'x'.repeat(11)],
  paperCount: ['2', '26', 'ten', '-3', '1000'],
  pauseDays: ['91', '-1', 'soon', '365'],
};

export const BROKEN_JSON = [
  '{',
  '{"email":',
  '{"email": "a@b.org",}',
  "{'email': 'a@b.org'}",
  '{"email": NaN}',
  '[',
  '{"a":1}}',
  '\u0000',
  'null',
  '[]',
  '"string"',
  '123',
  'true',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"x": 1}}}',
  `${'['.repeat(2000)}${']'.repeat(2000)}`,
  '\ufeff{}',
  '',
];

export const CONTENT_TYPES = [
  'application/xml',
  'text/plain',
  'application/octet-stream',
  'text/html',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=zz',
  'image/png',
  'application/json-patch+json',
  ';;;',
  'application/',
];

export const JUNK_PATH_SEGMENTS = [
  '',
  '.',
  '..',
  '%2e%2e%2f',
  '%00',
  '%E0%A4%A',
  'a'.repeat(700),
  '%F0%9F%98%80',
  '<script>',
  'null',
  'undefined',
  '__proto__',
  'a.b',
  'a.b.c',
  '..%2F..%2Fetc%2Fpasswd',
  ' ',
  '%20',
  '?',
  '#',
];

/** Tokens that must change nothing anywhere: forged, expired, revoked, wrong purpose, unknown reader, garbage. */
export function harmlessToken(
  random: Random,
  secret: string,
  readers: Subscriber[],
  purposeOfRoute: TokenPurpose,
): string {
  const reader = random.pick(readers);
  const others = (['confirm', 'manage', 'unsubscribe'] as const).filter(
    (purpose) => purpose !== purposeOfRoute,
  );
  const sign = (claims: Partial<Parameters<typeof signToken>[1]>, key = secret) =>
    signToken(key, {
      purpose: purposeOfRoute,
      subscriberId: reader.id,
      version: reader.tokenVersion,
      expiresAt: 0,
      ...claims,
    });
  switch (random.int(9)) {
    case 0:
      return sign({ purpose: random.pick(others) });
    case 1:
      return sign({ expiresAt: 1_600_000_000 + random.int(100_000) });
    case 2:
      // An older or newer version revokes every link but unsubscribe links, which never expire.
      return purposeOfRoute === 'unsubscribe'
        ? sign({ purpose: random.pick(others) })
        : sign({ version: reader.tokenVersion + 1 + random.int(5) });
    case 3:
      return sign({ subscriberId: randomUUID() });
    case 4:
      return sign({}, 'another-secret-another-secret-another-secret');
    case 5: {
      const [payload] = sign({}).split('.');
      return `${payload}.${random.text(43)}`;
    }
    case 6:
      // Signed with the real secret, but the claims inside are nonsense.
      return sign({ subscriberId: random.pick(['x', '1', reader.id.toUpperCase()]), version: Number.NaN });
    case 7:
      return random.text(1 + random.int(200));
    default:
      return encodeURIComponent(random.pick(JUNK_PATH_SEGMENTS.filter((segment) => segment.length > 0)));
  }
}
