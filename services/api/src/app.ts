import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '@paperboy/runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { installErrorHandling } from './errors.ts';
import { instrumentRequests } from './metrics.ts';
import { digestsRoutes } from './routes/digests.route.ts';
import { healthRoutes } from './routes/health.route.ts';
import { papersRoutes } from './routes/papers.route.ts';
import { subscriptionsRoutes } from './routes/subscriptions.route.ts';
import { tokenLinkRoutes } from './routes/token-links.route.ts';

/** The app as routes see it: TypeBox schemas give request and reply their types. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Builds the whole HTTP app from its dependencies; listening is the caller's business. */
export async function buildApp(deps: ApiDeps, logger: Logger): Promise<App> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    // Link tokens travel in the path and are longer than fastify's default 100-character limit.
    routerOptions: { maxParamLength: 600 },
    trustProxy: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: {
      // Unknown fields are an error the caller should hear about, not something to drop silently.
      customOptions: { removeAdditional: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  instrumentRequests(app, deps.metrics);
  await app.register(helmet, {
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
  await app.register(formbody, { bodyLimit: 16 * 1024 });

  healthRoutes(app, deps);
  subscriptionsRoutes(app, deps);
  tokenLinkRoutes(app, deps);
  digestsRoutes(app, deps);
  papersRoutes(app, deps);
  return app;
}
