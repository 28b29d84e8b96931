import { createHash } from 'node:crypto';
import { listPapers, topicSuggestions } from '@paperboy/db';
import type { FastifyReply } from 'fastify';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { type FrontDoorView, frontDoorPage } from '../pages/front-door-page.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';
import type { Signup } from '../signup.ts';
import {
  DEFAULT_FORM,
  FrontDoorBody,
  type FrontDoorForm,
  formFromBody,
  readFrontDoorForm,
} from './front-door-form.ts';

// The page's one script: presets the time zone from the browser. Without it the form still works
// (the zone stays UTC and is editable); the Content-Security-Policy allows exactly this text.
const PRESET_TIME_ZONE = `(function () {
  var field = document.querySelector('[data-preset-zone]');
  if (!field) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) field.value = zone;
  } catch (error) {}
})();`;
const SCRIPT_HASH = `'sha256-${createHash('sha256').update(PRESET_TIME_ZONE).digest('base64')}'`;

const PREVIEW_PAPERS = 5;
const FEEDS = { atom: '/feeds/daily.atom', json: '/feeds/daily.json' };

function withScriptAllowed(reply: FastifyReply): void {
  const policy = String(reply.getHeader('content-security-policy') ?? '');
  const allowed = /script-src [^;]*/.test(policy)
    ? policy.replace(/script-src [^;]*/, `script-src ${SCRIPT_HASH}`)
    : `${policy};script-src ${SCRIPT_HASH}`;
  reply.header('content-security-policy', allowed);
}

/**
 * GET / is the front door: the promise, the sign-up form and today's papers. The form POSTs to /
 * with no JavaScript and goes through the same checks, limits and work as POST /v1/subscriptions.
 */
export function frontDoorRoutes(app: App, deps: ApiDeps, signup: Signup): void {
  const render = async (
    reply: FastifyReply,
    status: number,
    parts: Pick<FrontDoorView, 'form' | 'problems' | 'outcome'>,
  ) => {
    const now = new Date();
    const [papers, suggestions] = await Promise.all([
      listPapers(deps.pool, { date: null, q: null, limit: PREVIEW_PAPERS, now }),
      topicSuggestions(deps.pool, { now, days: 14, minReaders: 3, limit: 40 }),
    ]);
    withScriptAllowed(reply);
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        frontDoorPage({
          ...parts,
          presetTimeZone: parts.form.timezone === DEFAULT_FORM.timezone && parts.problems.length === 0,
          suggestions,
          papers,
          feeds: FEEDS,
          script: PRESET_TIME_ZONE,
        }),
      );
  };

  app.get(
    '/',
    {
      schema: {
        summary: 'The front door: what paperboy does, a sign-up form and today’s trending papers',
        tags: ['pages'],
        response: { 200: htmlResponse('The front page'), ...errorResponses(429) },
      },
    },
    async (_request, reply) =>
      render(reply, 200, { form: DEFAULT_FORM, problems: [], outcome: { kind: 'form' } }),
  );

  app.post(
    '/',
    {
      bodyLimit: 8 * 1024,
      schema: {
        summary: 'Sign up from the front-door form (form-encoded; no JavaScript needed)',
        description:
          'The same checks, rate limits and work as POST /v1/subscriptions, and the same "check your inbox" page for new, pending, active and unsubscribed addresses. Fields: email, topics (comma-separated), timezone, sendHour, cadence (daily|weekly), weekday (1 = Monday … 7 = Sunday).',
        tags: ['sign-up'],
        body: FrontDoorBody,
        response: {
          200: htmlResponse('"Check your inbox", whatever the address'),
          400: htmlResponse('The form again, with what to fix beside each field and what was typed kept'),
          429: htmlResponse('The form again, saying a sign-up limit is reached and when to try again'),
          ...errorResponses(413, 415),
        },
      },
    },
    async (request, reply) => {
      const body: Partial<FrontDoorForm> = request.body ?? {};
      const checked = readFrontDoorForm(body);
      if (!checked.ok)
        return render(reply, 400, {
          form: formFromBody(body),
          problems: checked.problems,
          outcome: { kind: 'form' },
        });
      try {
        await signup(request, reply, checked);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 429) throw error;
        const minutes = Math.max(1, Math.ceil(Number(reply.getHeader('retry-after') ?? 60) / 60));
        return render(reply, 429, {
          form: formFromBody(body),
          problems: [],
          outcome: {
            kind: 'limited',
            message: `Please try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
          },
        });
      }
      return render(reply, 200, { form: DEFAULT_FORM, problems: [], outcome: { kind: 'accepted' } });
    },
  );
}
