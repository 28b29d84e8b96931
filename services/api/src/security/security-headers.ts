import { IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import type { App } from '../app.ts';

/** Helmet's headers under a strict Content-Security-Policy (pages that need more widen it themselves). */
const applyHelmet = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
});

/**
 * The headers helmet sets, read once from a response nobody sends. With no directive computed
 * per request (no nonces, no functions), they are the same on every answer.
 */
function helmetHeaders(): OutgoingHttpHeaders {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  applyHelmet(response.req, response, (error) => {
    if (error) throw error;
  });
  return response.getHeaders();
}

/**
 * Helmet's security headers on every answer: JSON, pages and 404s. Docs, front door and queue
 * dashboard replace the Content-Security-Policy with their own.
 *
 * Computed once at start-up and copied onto each reply: @fastify/helmet rebuilt helmet's
 * middleware on every request (re-reading and re-validating the whole configuration, and adding
 * an async hook for per-route options and nonces that nothing here uses), and even helmet's own
 * middleware re-serialises the policy each time; a twentieth of the api's CPU at sign-up rates.
 */
export function registerSecurityHeaders(app: App): void {
  const headers = helmetHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
