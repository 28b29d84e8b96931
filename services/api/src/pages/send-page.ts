import type { FastifyReply } from 'fastify';

/** Person-facing pages carry personal links, so no cache may keep one. */
export function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}
