import helmet from 'helmet';
import type { App } from '../app.ts';

/**
 * Helmet's security headers on every answer (JSON, pages, 404s), under a strict
 * Content-Security-Policy that the pages needing more (docs, front door, queue dashboard) widen
 * for themselves.
 *
 * Helmet's middleware is built once, here. @fastify/helmet builds it anew on every request (it
 * re-reads and re-validates the whole configuration, CSP directives included, and adds an async
 * hook to offer per-route options and nonces, which nothing here uses): a twentieth of the
 * api's CPU at sign-up rates.
 */
export function registerSecurityHeaders(app: App): void {
  const applyHeaders = helmet({
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
  app.addHook('onRequest', (request, reply, done) => {
    applyHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined));
  });
}
