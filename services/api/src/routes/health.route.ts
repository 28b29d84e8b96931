import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';

export function healthRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  const Readiness = Type.Object({ ready: Type.Boolean(), postgres: Type.Boolean(), redis: Type.Boolean() });
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: Postgres and Redis answer',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const postgres = await deps.pool.query('SELECT 1').then(
        () => true,
        () => false,
      );
      const redis = await deps.redis.ping().then(
        (answer) => answer === 'PONG',
        () => false,
      );
      const ready = postgres && redis;
      return reply.status(ready ? 200 : 503).send({ ready, postgres, redis });
    },
  );
}
