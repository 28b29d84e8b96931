import type { FastifyRequest } from 'fastify';

/** The token of an `Authorization: Bearer <token>` header (visible ASCII only), or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer +([\x21-\x7e]{1,1024})$/i.exec(header.trim()) : null;
  return match?.[1] ?? null;
}
