import cors from '@fastify/cors';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';

/**
 * CORS stays off (no Access-Control-* headers, so browsers keep other sites out) unless
 * CORS_ORIGINS names the sites that may call the API, e.g. a sign-up form on the project's homepage.
 */
export async function registerCors(app: App, deps: ApiDeps): Promise<void> {
  if (deps.config.corsOrigins.length === 0) return;
  await app.register(cors, {
    origin: [...deps.config.corsOrigins],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization'],
    credentials: false,
    maxAge: 600,
  });
}
