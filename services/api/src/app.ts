import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '@paperboy/runtime';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import { clientErrorHandler, closeAfterUnreadBodies } from './client-errors.ts';
import type { ApiDeps } from './deps.ts';
import { registerApiDocs, registerApiDocsUi } from './docs.ts';
import { frameworkErrors, installErrorHandling } from './errors.ts';
import { OneLinePerRequest, requestSerializer } from './log-redaction.ts';
import { instrumentRequests } from './metrics.ts';
import { addressChangeRoutes } from './routes/address-change.route.ts';
import { adminRoutes } from './routes/admin.route.ts';
import { adminBounceRoutes } from './routes/admin-bounces.route.ts';
import { adminDeliveriesRoutes } from './routes/admin-deliveries.route.ts';
import { adminPreviewRoutes } from './routes/admin-preview.route.ts';
import { digestsRoutes } from './routes/digests.route.ts';
import { feedsRoutes } from './routes/feeds.route.ts';
import { frontDoorRoutes } from './routes/front-door.route.ts';
import { healthRoutes } from './routes/health.route.ts';
import { learningRoutes } from './routes/learning.route.ts';
import { manageRoutes } from './routes/manage.route.ts';
import { meRoutes } from './routes/me.route.ts';
import { paperPageRoutes } from './routes/paper-page.route.ts';
import { papersRoutes } from './routes/papers.route.ts';
import { queueDashboardRoutes } from './routes/queue-dashboard.route.ts';
import { subscriptionsRoutes } from './routes/subscriptions.route.ts';
import { tokenLinkRoutes } from './routes/token-links.route.ts';
import { voteRoutes } from './routes/votes.route.ts';
import { webhookRoutes } from './routes/webhooks.route.ts';
import { yourDataRoutes } from './routes/your-data.route.ts';
import { registerCors } from './security/cors.ts';
import { registerRateLimits } from './security/rate-limit.ts';
import { registerSecurityHeaders } from './security/security-headers.ts';
import { createSignup } from './signup.ts';
import { installValidation } from './validation.ts';

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
    loggerInstance: logger.child({}, { serializers: { req: requestSerializer } }) as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    // Link tokens travel in the path and are longer than fastify's default 100-character limit.
    routerOptions: { maxParamLength: 600 },
    trustProxy: deps.config.trustProxy.length > 0 ? [...deps.config.trustProxy] : false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    logController: new OneLinePerRequest(),
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidation(app);
  installErrorHandling(app);
  closeAfterUnreadBodies(app);
  instrumentRequests(app, deps.metrics);
  registerSecurityHeaders(app);
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await registerCors(app, deps);
  await registerRateLimits(app, deps);
  await registerApiDocs(app);

  healthRoutes(app, deps);
  const signup = createSignup(app, deps);
  subscriptionsRoutes(app, signup);
  frontDoorRoutes(app, deps, signup);
  tokenLinkRoutes(app, deps);
  digestsRoutes(app, deps);
  papersRoutes(app, deps);
  paperPageRoutes(app, deps);
  feedsRoutes(app, deps);
  manageRoutes(app, deps);
  meRoutes(app, deps);
  yourDataRoutes(app, deps);
  voteRoutes(app, deps);
  learningRoutes(app, deps);
  addressChangeRoutes(app, deps);
  adminRoutes(app, deps);
  adminPreviewRoutes(app, deps);
  adminDeliveriesRoutes(app, deps);
  adminBounceRoutes(app, deps);
  webhookRoutes(app, deps);
  await queueDashboardRoutes(app, deps);
  await registerApiDocsUi(app);
  return app;
}
