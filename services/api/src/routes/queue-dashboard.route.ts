import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { html } from '../pages/html.ts';
import { adminSessions } from '../security/admin-session.ts';

const BASE = '/admin/queues';
const LOGIN = '/admin/login';
const LoginBody = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

// Bull Board's UI is a script bundle served from its own static route; it fetches its JSON API.
const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

function loginPage(problem: string | null) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>paperboy · operator sign-in</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem">
<h1>Queue dashboard</h1>
<p>Enter the admin key (<code>ADMIN_TOKEN</code>). The browser keeps a session for 8 hours.</p>
${problem ? html`<p role="alert" style="color:#b00020">${problem}</p>` : ''}
<form method="post" action="${LOGIN}">
<label>Admin key <input type="password" name="key" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button>
</form></body></html>`.value;
}

/**
 * Bull Board at /admin/queues: every queue's jobs by state, retry, promote, clean, pause and resume.
 * Behind the admin key: a bearer header (scripts, or a header-injecting proxy), or the session
 * cookie the sign-in form at /admin/login sets for a browser.
 */
export async function queueDashboardRoutes(app: App, deps: ApiDeps): Promise<void> {
  const sessions = adminSessions(deps.config);
  await app.register(async (untyped) => {
    const scope = untyped.withTypeProvider<TypeBoxTypeProvider>();
    await scope.register(cookie);

    scope.get(LOGIN, { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(loginPage(null)),
    );
    scope.post(
      LOGIN,
      { bodyLimit: 4 * 1024, schema: { hide: true, body: LoginBody } },
      async (request, reply) => {
        if (!sessions.keyMatches(request.body.key))
          return reply
            .status(401)
            .type('text/html; charset=utf-8')
            .send(loginPage('That is not the admin key.'));
        sessions.startSession(reply);
        return reply.redirect(BASE, 303);
      },
    );
    scope.post('/admin/logout', { schema: { hide: true } }, async (_request, reply) => {
      sessions.endSession(reply);
      return reply.redirect(LOGIN, 303);
    });

    await scope.register(async (board) => {
      board.addHook('onRequest', async (request, reply) => {
        reply.header('content-security-policy', DASHBOARD_CSP);
        if (sessions.isAdmin(request)) return;
        // A person gets the sign-in form; a script gets the same JSON 401 as the other admin routes.
        if (request.headers.accept?.includes('text/html'))
          return reply.status(401).type('text/html; charset=utf-8').send(loginPage(null));
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer')
          .send(errorBody(401, 'the queue dashboard needs Authorization: Bearer <ADMIN_TOKEN> or a sign-in'));
      });
      const adapter = new FastifyAdapter();
      adapter.setBasePath(BASE);
      createBullBoard({
        queues: Object.values(deps.queues).map((queue) => new BullMQAdapter(queue)),
        serverAdapter: adapter,
        options: { uiConfig: { boardTitle: 'paperboy queues' } },
      });
      await board.register(adapter.registerPlugin(), { prefix: BASE });
    });
  });
}
