import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './app.ts';
import { errorBody } from './errors.ts';

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'the request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the request took too long to arrive'],
  HPE_URI_TOO_LONG: [414, 'URI Too Long', 'the URL is too long'],
};

/**
 * Node's http server hands requests it cannot parse (headers too large, malformed, too slow) to
 * this, with the raw socket, and the connection is closed right after. The answer says so
 * (`Connection: close`): a keep-alive client then opens a new connection for its next request
 * instead of sending it into a socket that is going away.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'the request is not valid HTTP',
  ];
  const body = JSON.stringify(errorBody(status, message));
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroySoon();
}

/**
 * A request whose body was refused before it was read (413, or any error answered mid-body) would
 * otherwise leave Node to read and discard the rest to keep the connection: say `Connection: close`
 * instead, and close, so an oversized upload costs us nothing more.
 */
export function closeAfterUnreadBodies(app: App): void {
  // A callback hook, not an async one: it runs on every answer, and a promise each is measurable.
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if (reply.statusCode >= 400 && !request.raw.complete) reply.header('connection', 'close');
    done(null, payload);
  });
}
