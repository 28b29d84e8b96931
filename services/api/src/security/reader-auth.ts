import { findSubscriber, type Subscriber } from '@paperboy/db';
import { verifyToken } from '@paperboy/links';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { bearerToken } from './bearer.ts';

/**
 * The reader a manage token stands for, or null: forged, expired, wrong-purpose, revoked (an older
 * token version) and erased all look the same from outside.
 */
export async function findReader(deps: ApiDeps, token: string): Promise<Subscriber | null> {
  const check = verifyToken(deps.config.tokenSecret, token, 'manage');
  if (!check.ok) return null;
  const subscriber = await findSubscriber(deps.pool, check.claims.subscriberId);
  return subscriber?.tokenVersion === check.claims.version ? subscriber : null;
}

const DENIED = errorBody(
  401,
  'send the manage token from your latest digest as Authorization: Bearer <token>; this one is missing, invalid, expired or revoked',
);

const readers = new WeakMap<FastifyRequest, Subscriber>();

/** The gate in front of /v1/subscriptions/me: runs before the body is read, like adminOnly. */
export function readerOnly(deps: ApiDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    // Every answer behind this gate is personal: no cache may keep one.
    reply.header('cache-control', 'no-store');
    const token = bearerToken(request);
    const reader = token === null ? null : await findReader(deps, token);
    if (!reader) return reply.status(401).header('www-authenticate', 'Bearer').send(DENIED);
    readers.set(request, reader);
    return undefined;
  };
}

/** The reader readerOnly let through; only routes behind readerOnly may ask. */
export function readerOf(request: FastifyRequest): Subscriber {
  const reader = readers.get(request);
  if (!reader) throw new Error(`${request.routeOptions.url} reads the reader without readerOnly in front`);
  return reader;
}
