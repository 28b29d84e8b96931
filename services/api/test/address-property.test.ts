import { findSubscriberByEmail } from '@paperboy/db';
import fc from 'fast-check';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmailAddress } from '../src/email-address.ts';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('address_property', {
    RATE_LIMIT_PER_MINUTE: '1000000',
    SIGNUPS_PER_IP_PER_HOUR: '1000000',
  });
});
afterAll(async () => {
  await api?.close();
});

// sendMail builds its envelope (what an SMTP server gets in RCPT TO) with exactly this call.
const envelopeTo = (to: string) =>
  new MailComposer({ from: 'digest@paperboy.test', to, text: '.' }).compile().getEnvelope().to;

const ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-";
const atom = fc.string({ unit: fc.constantFrom(...ATEXT), minLength: 1, maxLength: 12 });
const localPart = fc.array(atom, { minLength: 1, maxLength: 4 }).map((atoms) => atoms.join('.'));
const asciiLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,12}[a-z0-9])?$/);
const unicodeLabel = fc.constantFrom('bücher', 'münchen', 'пример', 'δοκιμή', '例え', 'straße', 'ÉCOLE');
const label = fc.oneof({ arbitrary: asciiLabel, weight: 4 }, { arbitrary: unicodeLabel, weight: 1 });
const tld = fc.constantFrom('org', 'com', 'example', 'de', 'xn--p1ai', 'рф', 'ORG');
const domain = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld)
  .map(([labels, top]) => [...labels, top].join('.'));
const randomCase = (value: string) =>
  fc
    .array(fc.boolean(), { minLength: value.length, maxLength: value.length })
    .map((flags) => [...value].map((char, index) => (flags[index] ? char.toUpperCase() : char)).join(''));
const plausible = fc.tuple(localPart, domain).chain(([local, host]) => randomCase(`${local}@${host}`));

// What attackers and typos put into an address field.
const HOSTILE = [
  '(',
  ')',
  '(comment)',
  '"',
  '"quoted local"',
  '<',
  '>',
  ',',
  ';',
  ':',
  '@',
  '@@',
  '@route.example:',
  '@x(1@y.example',
  ' ',
  '\t',
  '\r\n',
  '\u00a0',
  '\u200b',
  '\u0000',
  '[',
  ']',
  '[127.0.0.1]',
  '\\',
  '.',
  '..',
  'é',
  '日本',
  '😀',
  '=?utf-8?q?x?=',
  'Name <',
  ', other@example.org',
  '-',
];
const hostileFragment = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
);
const tampered = fc
  .tuple(plausible, fc.array(fc.tuple(hostileFragment, fc.nat()), { minLength: 1, maxLength: 3 }))
  .map(([address, inserts]) =>
    inserts.reduce((text, [fragment, at]) => {
      const position = at % (text.length + 1);
      return text.slice(0, position) + fragment + text.slice(position);
    }, address),
  );
const noise = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'ab@.()<>",;: \\[]xn--é'), maxLength: 30 }),
  fc.string({ maxLength: 300 }),
);
const anyInput = fc.oneof(
  { arbitrary: plausible, weight: 5 },
  { arbitrary: tampered, weight: 4 },
  { arbitrary: noise, weight: 1 },
  { arbitrary: plausible.map((address) => ` ${address}\t`), weight: 1 },
);

describe('one canonical address', () => {
  it('for 10,000 generated inputs: what is accepted is exactly what nodemailer sends to; the rest is a 400 saying why', async () => {
    let accepted = 0;
    const rejected: string[] = [];
    fc.assert(
      fc.property(anyInput, (input) => {
        const parsed = parseEmailAddress(input);
        if (!parsed.ok) {
          expect(parsed.problem).toMatch(/^is not accepted: it .{8,}/);
          rejected.push(input);
          return;
        }
        accepted += 1;
        const stored = parsed.address;
        expect(stored.length).toBeLessThanOrEqual(254);
        expect(stored).toMatch(/^[\x21-\x7e]+$/);
        expect(stored.split('@')[1]).toBe(stored.split('@')[1]!.toLowerCase());
        // Idempotent: the canonical form of the canonical form is itself.
        expect(parseEmailAddress(stored)).toEqual({ ok: true, address: stored });
        expect(addressparser(stored)).toEqual([{ address: stored, name: '' }]);
        expect(envelopeTo(stored)).toEqual([stored]);
      }),
      { numRuns: 10_000 },
    );
    // Every refused input, through the real sign-up route: a 400 that names the field and the problem.
    for (let start = 0; start < rejected.length; start += 50) {
      const batch = rejected.slice(start, start + 50);
      const answers = await Promise.all(
        batch.map((email) =>
          api.app.inject({ method: 'POST', url: '/v1/subscriptions', payload: { email } }),
        ),
      );
      answers.forEach((response, index) => {
        expect(response.statusCode, JSON.stringify(batch[index])).toBe(400);
        expect(response.json()).toMatchObject({
          error: 'bad_request',
          message: expect.stringMatching(/email/),
        });
      });
    }
    // The generator must exercise both sides, or the property proves little.
    expect(accepted).toBeGreaterThan(2_000);
    expect(rejected.length).toBeGreaterThan(2_000);
  }, 300_000);

  it.each([
    ['victim@x(1@y.example', 'comment'],
    ['"victim@x"@y.example', 'quoted'],
    ['@relay.example:victim@y.example', 'colon'],
    ['victim@y.example, other@z.example', 'more than one address'],
    ['Victim <victim@y.example>', 'angle brackets'],
    ['victim@@y.example', 'exactly one @'],
    ['victim@[192.0.2.1]', 'address literal'],
    ['vïctim@y.example', 'non-ASCII'],
    ['victim@localhost', 'without a dot'],
  ])('refuses %s at sign-up with a message that says why (%s)', async (email, why) => {
    const response = await api.app.inject({ method: 'POST', url: '/v1/subscriptions', payload: { email } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(why);
  });

  it('stores, limits and mails the canonical form: punycode domain, lower-case domain, local part as typed', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/subscriptions',
      payload: { email: '  Ada.Lovelace@BÜCHER.Example ' },
    });
    expect(response.statusCode).toBe(202);
    const stored = await findSubscriberByEmail(api.pool, 'ada.lovelace@xn--bcher-kva.example');
    expect(stored?.email).toBe('Ada.Lovelace@xn--bcher-kva.example');
  });

  it('counts the per-address limit on the canonical form, however the address is spelled', async () => {
    const limited = await startTestApi('address_limit', { SIGNUPS_PER_ADDRESS_PER_HOUR: '2' });
    try {
      const spellings = ['limit@bücher.example', 'LIMIT@xn--bcher-kva.example', ' limit@BÜCHER.EXAMPLE'];
      const statuses: number[] = [];
      for (const email of spellings) {
        const answer = await limited.app.inject({
          method: 'POST',
          url: '/v1/subscriptions',
          payload: { email },
        });
        statuses.push(answer.statusCode);
      }
      expect(statuses).toEqual([202, 202, 429]);
    } finally {
      await limited.close();
    }
  });
});
