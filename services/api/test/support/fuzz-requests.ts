import type { Subscriber } from '@paperboy/db';
import type { TokenPurpose } from '@paperboy/links';
import type { Random } from '@paperboy/testing';
import type { InjectOptions } from 'fastify';
import {
  BROKEN_JSON,
  CONTENT_TYPES,
  harmlessToken,
  INVALID_FORM_VALUES,
  INVALID_VALUES,
  JUNK_PATH_SEGMENTS,
} from './fuzz-inputs.ts';

export interface FuzzContext {
  random: Random;
  secret: string;
  readers: Subscriber[];
  /** A token that really works for that purpose: used only where the rest of the request is invalid. */
  validToken(reader: Subscriber, purpose: TokenPurpose): string;
}

type Body = Pick<InjectOptions, 'headers' | 'payload'>;
const json = (payload: string): Body => ({ headers: { 'content-type': 'application/json' }, payload });

/** Something no body schema accepts: a structural fault, or fields with at least one invalid value. */
function invalidJson(ctx: FuzzContext, base: Record<string, unknown>, fields: string[]): Body {
  const { random } = ctx;
  const roll = random.int(10);
  if (roll === 0) return json(random.pick(BROKEN_JSON));
  if (roll === 1)
    return { headers: { 'content-type': random.pick(CONTENT_TYPES) }, payload: `junk=1&${random.text(20)}` };
  if (roll === 2) return json(JSON.stringify({ ...base, padding: 'x'.repeat(70_000 + random.int(50_000)) }));
  const body: Record<string, unknown> = { ...base };
  const mutations = 1 + random.int(3);
  for (let index = 0; index < mutations; index += 1) {
    if (random.chance(0.15)) body[`unknown_${random.text(4)}`] = random.pick([1, 'x', null, {}]);
    else {
      const field = random.pick(fields);
      body[field] = random.pick(INVALID_VALUES[field]!);
    }
  }
  return json(JSON.stringify(body));
}

/** A preference form no handler may save: at least one field it must refuse. */
function invalidForm(ctx: FuzzContext): Body {
  const { random } = ctx;
  const fields: Record<string, string> = { topics: 'ai', timezone: 'UTC', sendHour: '8', paperCount: '5' };
  const bad = random.pick(Object.keys(INVALID_FORM_VALUES));
  fields[bad] = random.pick(INVALID_FORM_VALUES[bad]!);
  if (random.chance(0.2)) fields[`extra_${random.text(3)}`] = 'x';
  if (random.chance(0.2)) return json(JSON.stringify({ ...fields, sendHour: random.pick([8, null, ['8']]) }));
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  };
}

/** A front-door form no handler may sign up: at least one field it must refuse, or not a form at all. */
function invalidFrontDoorForm(ctx: FuzzContext): Body {
  const { random } = ctx;
  const email = random.pick([
    ...ctx.readers.map((reader) => reader.email),
    `new-${random.text(6)}@example.org`,
  ]);
  const fields: Record<string, string> = {
    email,
    topics: 'ai',
    timezone: 'UTC',
    sendHour: '8',
    cadence: 'daily',
  };
  const bad: Record<string, string[]> = {
    email: ['', ' ', 'no-at-sign', 'a@b', 'a@example.org, b@example.org', 'x'.repeat(1001)],
    topics: INVALID_FORM_VALUES.topics!,
    timezone: INVALID_FORM_VALUES.timezone!,
    sendHour: INVALID_FORM_VALUES.sendHour!,
    cadence: ['hourly', 'WEEKLY', '', 'x'.repeat(11)],
  };
  const field = random.pick([...Object.keys(bad), 'weekday']);
  if (field === 'weekday') {
    fields.cadence = 'weekly';
    fields.weekday = random.pick(['0', '8', 'mon', '', '-1', '1.5']);
  } else fields[field] = random.pick(bad[field]!);
  if (random.chance(0.15)) fields[`extra_${random.text(3)}`] = 'x';
  if (random.chance(0.15)) return anyBody(ctx);
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  };
}

/** Whatever a client might send to a link route: one-click bodies, broken multipart, JSON, noise. */
function anyBody(ctx: FuzzContext): Body {
  const { random } = ctx;
  switch (random.int(7)) {
    case 0:
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      };
    case 1:
      return {
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
        payload: random.pick([
          '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n',
          '--b\r\nbroken',
          '--b\r\nContent-Disposition: form-data; name="f"; filename="x.exe"\r\n\r\nMZ\r\n--b--\r\n',
          'x'.repeat(20_000),
        ]),
      };
    case 2:
      return { headers: { 'content-type': 'multipart/form-data' }, payload: random.text(50) };
    case 3:
      return json(random.pick(BROKEN_JSON));
    case 4:
      return {
        headers: { 'content-type': random.pick(CONTENT_TYPES) },
        payload: random.text(random.int(500)),
      };
    case 5:
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `a=${'%'.repeat(random.int(9))}&b[c]=1&&=`,
      };
    default:
      return {};
  }
}

function authorization(ctx: FuzzContext, token: string): Record<string, string> {
  const { random } = ctx;
  const choices = [
    `Bearer ${token}`,
    `bearer ${token}`,
    `Bearer  ${token}`,
    token,
    `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    `Bearer ${'a'.repeat(2000)}`,
    'Bearer',
    `Bearer ${token} extra`,
  ];
  return random.chance(0.1) ? {} : { authorization: random.pick(choices) };
}

export function fuzzRequest(ctx: FuzzContext): InjectOptions & { kind: string } {
  const { random, readers } = ctx;
  const reader = random.pick(readers);
  const harmless = (purpose: TokenPurpose) => harmlessToken(random, ctx.secret, readers, purpose);
  const anyToken = (purpose: TokenPurpose) =>
    random.chance(0.3) ? ctx.validToken(reader, purpose) : harmless(purpose);
  const kind = random.int(19);
  switch (kind) {
    case 0:
    case 1: {
      const email = random.pick([
        ...readers.map((known) => known.email),
        `new-${random.text(6)}@example.org`,
      ]);
      const base = { email, topics: ['ai'], timezone: 'UTC', sendHour: 8, paperCount: 5 };
      const fields = ['email', 'topics', 'timezone', 'sendHour', 'paperCount'];
      return { kind: 'sign-up', method: 'POST', url: '/v1/subscriptions', ...invalidJson(ctx, base, fields) };
    }
    case 2:
      return {
        kind: 'me',
        method: 'GET',
        url: '/v1/subscriptions/me',
        headers: authorization(ctx, anyToken('manage')),
      };
    case 3:
    case 4: {
      const valid = random.chance(0.5);
      const token = valid ? ctx.validToken(reader, 'manage') : harmless('manage');
      const fields = ['topics', 'timezone', 'sendHour', 'paperCount', 'pauseDays'];
      const body = invalidJson(ctx, { sendHour: 9 }, fields);
      const headers = { ...body.headers, ...authorization(ctx, token) };
      return { kind: 'patch me', method: 'PATCH', url: '/v1/subscriptions/me', ...body, headers };
    }
    case 5: {
      const method = random.pick(['DELETE', 'POST'] as const);
      const url = method === 'DELETE' ? '/v1/subscriptions/me' : '/v1/subscriptions/me/revoke-links';
      return { kind: `${method} me`, method, url, headers: authorization(ctx, harmless('manage')) };
    }
    case 6:
      return {
        kind: 'export',
        method: 'GET',
        url: '/v1/subscriptions/me/export',
        headers: authorization(ctx, anyToken('manage')),
      };
    case 7:
      return { kind: 'confirm page', method: 'GET', url: `/confirm/${anyToken('confirm')}` };
    case 8:
      return { kind: 'confirm', method: 'POST', url: `/confirm/${harmless('confirm')}`, ...anyBody(ctx) };
    case 9:
      return { kind: 'unsubscribe page', method: 'GET', url: `/u/${anyToken('unsubscribe')}` };
    case 10:
      return { kind: 'one-click', method: 'POST', url: `/u/${harmless('unsubscribe')}`, ...anyBody(ctx) };
    case 11: {
      const query = random.pick([
        '',
        '?saved=1',
        '?saved=2',
        '?x=1',
        '?saved=1&saved=1',
        `?${random.text(30)}`,
      ]);
      const sub = random.pick(['', '/export']);
      return { kind: `manage page${sub}`, method: 'GET', url: `/manage/${anyToken('manage')}${sub}${query}` };
    }
    case 12: {
      const valid = random.chance(0.5);
      const token = valid ? ctx.validToken(reader, 'manage') : harmless('manage');
      return {
        kind: 'manage save',
        method: 'POST',
        url: `/manage/${token}`,
        ...(valid ? invalidForm(ctx) : anyBody(ctx)),
      };
    }
    case 13: {
      const valid = random.chance(0.5);
      const token = valid ? ctx.validToken(reader, 'manage') : harmless('manage');
      const payload = valid
        ? random.pick([
            'confirm=no',
            'confirm=YES',
            'confirm=yes&more=1',
            '',
            'confirm=',
            'confirm=yes&confirm=yes',
          ])
        : random.pick(['confirm=yes', '']);
      const headers = { 'content-type': 'application/x-www-form-urlencoded' };
      return { kind: 'erase', method: 'POST', url: `/manage/${token}/erase`, headers, payload };
    }
    case 14:
      return { kind: 'revoke', method: 'POST', url: `/manage/${harmless('manage')}/revoke`, ...anyBody(ctx) };
    case 15: {
      const url = random.pick([
        '/v1/admin/subscribers?status=active',
        '/v1/admin/subscribers/counts',
        '/v1/admin/suppressions',
        `/v1/admin/suppressions/${'b'.repeat(64)}`,
      ]);
      const method = url.endsWith('b'.repeat(64)) ? 'DELETE' : random.pick(['GET', 'POST'] as const);
      return {
        kind: 'admin',
        method,
        url,
        headers: authorization(ctx, random.text(24)),
        payload: random.pick([undefined, '{"email":"a@b.org"}']),
      };
    }
    case 16: {
      // The read-only public routes other issues added: papers, the edition archive.
      const junk = () =>
        encodeURIComponent(
          random.pick([random.text(random.int(300)), '2026-02-31', '-1', '1e9', "' OR 1=1 --"]),
        );
      const url = random.pick([
        `/v1/papers?date=${junk()}`,
        `/v1/papers?q=${junk()}&limit=${junk()}`,
        `/v1/papers?limit=${random.pick(['0', '101', '-5', 'x', '2.5'])}`,
        `/v1/papers?unknown=${junk()}`,
        `/digests?${random.pick(['page', 'before', 'limit', 'x'])}=${junk()}`,
        `/digests/${junk()}`,
        `/subscription?${random.text(10)}=${junk()}`,
        `/papers/${junk()}`,
        `/feeds/daily.atom?${random.text(10)}=${junk()}`,
        `/feeds/daily.json?${random.text(10)}=${junk()}`,
        `/feeds/reader/${harmless('feed')}`,
        `/?${random.text(10)}=${junk()}`,
      ]);
      return { kind: 'archive and papers', method: random.pick(['GET', 'POST', 'HEAD'] as const), url };
    }
    case 17:
      return { kind: 'front-door sign-up', method: 'POST', url: '/', ...invalidFrontDoorForm(ctx) };
    default: {
      const method = random.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const);
      const prefix = random.pick(['/v1/subscriptions/', '/manage/', '/u/', '/confirm/', '/v1/', '/']);
      const segment = random.chance(0.5)
        ? random.pick(JUNK_PATH_SEGMENTS)
        : encodeURIComponent(random.text(random.int(40)));
      return { kind: 'junk', method, url: `${prefix}${segment}`, ...anyBody(ctx) };
    }
  }
}
