import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '@paperboy/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.ts';
import { bearerToken } from './bearer.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

// One answer for a missing key, a wrong key and admin switched off: a caller learns nothing else.
const DENIED = errorBody(401, 'admin routes need Authorization: Bearer <ADMIN_TOKEN>');

/**
 * The gate in front of every admin route: `{ onRequest: adminOnly(config) }`. It runs before the
 * body is parsed or validated, so an unauthenticated caller gets the same 401 whatever they send.
 * Hashing both sides first makes the comparison constant-time whatever the lengths.
 */
export function adminOnly(config: Pick<Readonly<Config>, 'adminToken'>) {
  const expected = config.adminToken === null ? null : digest(config.adminToken);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const given = bearerToken(request);
    const matches = expected !== null && given !== null && timingSafeEqual(digest(given), expected);
    if (!matches) return reply.status(401).header('www-authenticate', 'Bearer').send(DENIED);
    return undefined;
  };
}
