import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.ts';

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
// Hashing both sides first makes the comparison constant-time whatever the lengths.
const same = (given: string | Buffer, expected: Buffer) => timingSafeEqual(digest(given), digest(expected));

/** The raw body of each webhook request, as signed: the parsed JSON cannot be re-serialised byte for byte. */
export const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * `X-Paperboy-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body under BOUNCE_WEBHOOK_SECRET.
 * Runs before the body is validated, so an unsigned caller learns nothing about the shape.
 */
export function signedWith(secret: string | null) {
  const denied = errorBody(401, 'a missing or wrong X-Paperboy-Signature (sha256=HMAC of the body)');
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const header = request.headers['x-paperboy-signature'];
    const given =
      typeof header === 'string' ? /^sha256=([0-9a-f]{64})$/i.exec(header.trim())?.[1] : undefined;
    const raw = rawBodies.get(request);
    if (secret === null || !given || raw === undefined) return reply.status(401).send(denied);
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (!same(Buffer.from(given, 'hex'), expected)) return reply.status(401).send(denied);
    return undefined;
  };
}

/** HTTP basic auth, which is what Postmark documents for protecting webhooks (credentials in the URL). */
export function basicAuthWith(user: string | null, password: string | null) {
  const denied = errorBody(401, 'Postmark webhooks need the configured basic-auth credentials');
  const expected = user === null || password === null ? null : Buffer.from(`${user}:${password}`);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const header = request.headers.authorization;
    const encoded =
      typeof header === 'string' ? /^Basic +([A-Za-z0-9+/=]{1,1024})$/i.exec(header.trim())?.[1] : undefined;
    if (expected === null || !encoded || !same(Buffer.from(encoded, 'base64'), expected)) {
      return reply.status(401).header('www-authenticate', 'Basic realm="paperboy webhooks"').send(denied);
    }
    return undefined;
  };
}
