import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '@paperboy/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from './bearer.ts';

export const SESSION_COOKIE = 'paperboy_admin';
/** A browser session of the queue dashboard lasts a night shift, then the key is asked again. */
export const SESSION_SECONDS = 8 * 3600;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Browsers cannot add a bearer header to a page load, so the dashboard also accepts a session
 * cookie the login form sets: `<expiry>.<hmac>`, signed with a key derived from ADMIN_TOKEN, so
 * rotating the admin key ends every session. HttpOnly and SameSite=Strict: scripts cannot read it
 * and no other site can make a browser send it (the dashboard's POST/PUT actions included).
 */
export function adminSessions(config: Pick<Readonly<Config>, 'adminToken' | 'publicBaseUrl'>) {
  const admin = config.adminToken;
  const expected = admin === null ? null : digest(admin);
  const sessionKey = admin === null ? null : digest(`paperboy admin session\n${admin}`);
  const sign = (expiry: number) =>
    createHmac('sha256', sessionKey!).update(String(expiry)).digest('base64url');
  const secure = config.publicBaseUrl.startsWith('https:');

  const keyMatches = (given: string | null): boolean =>
    expected !== null && given !== null && timingSafeEqual(digest(given), expected);

  const sessionValid = (cookie: string | undefined): boolean => {
    const match = cookie ? /^(\d{10})\.([\w-]{43})$/.exec(cookie) : null;
    if (!match || sessionKey === null) return false;
    const expiry = Number(match[1]);
    const good = timingSafeEqual(digest(match[2]!), digest(sign(expiry)));
    return good && expiry * 1000 > Date.now();
  };

  return {
    keyMatches,
    /** The admin key as a bearer header, or a valid session cookie. */
    isAdmin(request: FastifyRequest): boolean {
      return keyMatches(bearerToken(request)) || sessionValid(request.cookies[SESSION_COOKIE]);
    },
    startSession(reply: FastifyReply): void {
      const expiry = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
      reply.setCookie(SESSION_COOKIE, `${expiry}.${sign(expiry)}`, {
        path: '/admin',
        httpOnly: true,
        sameSite: 'strict',
        secure,
        maxAge: SESSION_SECONDS,
      });
    },
    endSession(reply: FastifyReply): void {
      reply.clearCookie(SESSION_COOKIE, { path: '/admin', httpOnly: true, sameSite: 'strict', secure });
    },
  };
}
