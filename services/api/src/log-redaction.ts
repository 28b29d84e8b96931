import type { FastifyRequest } from 'fastify';

// Link tokens are credentials: whoever reads a log line must not be able to manage or unsubscribe a reader.
const TOKEN_IN_PATH = /^(\/(?:manage|u|confirm|data|feeds\/reader)\/)[^/?#]+/;

export function redactUrl(url: string): string {
  return url.replace(TOKEN_IN_PATH, '$1[redacted]');
}

/** fastify's request serializer, less the token in link paths. */
export function requestSerializer(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
