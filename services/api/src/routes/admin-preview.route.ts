import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { findSubscriberByEmail, selectPapersForReader } from '@paperboy/db';
import { editionKey, renderEdition } from '@paperboy/digest';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { parseEmailAddress } from '../email-address.ts';
import { errorBody } from '../errors.ts';
import { publicCopy } from '../public-copy.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';
import { adminOnly } from '../security/admin-auth.ts';

const PreviewQuery = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('json')])),
  },
  { additionalProperties: false },
);

const PreviewJson = Type.Object({
  localDate: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  text: Type.Union([Type.String(), Type.Null()]),
  papers: Type.Array(
    Type.Object({ id: Type.String(), title: Type.String(), matchedTopics: Type.Array(Type.String()) }),
  ),
});

/** The reader's calendar date right now, as the planner computes it in SQL. */
export function localDateIn(timezone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * What a reader would get if their digest were composed now. Nothing is recorded: no delivery,
 * no selection, no edition. The reader's own links are left out, so a preview shared in a ticket
 * cannot unsubscribe anyone.
 */
export function adminPreviewRoutes(app: App, deps: ApiDeps): void {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', adminOnly(deps.config));
    admin.get(
      '/v1/admin/preview',
      {
        schema: {
          summary: 'Preview the digest a reader would get today (HTML, or JSON with format=json)',
          tags: ['admin'],
          security: [{ adminToken: [] }],
          querystring: PreviewQuery,
          response: {
            200: Type.Union([PreviewJson, htmlResponse('The digest as the reader would see it')]),
            ...errorResponses(400, 401, 404, 429),
          },
        },
      },
      async (request, reply) => {
        const parsed = parseEmailAddress(request.query.email);
        if (!parsed.ok) return reply.status(400).send(errorBody(400, `querystring.email ${parsed.problem}`));
        const subscriber = await findSubscriberByEmail(deps.pool, parsed.address);
        if (!subscriber) return reply.status(404).send(errorBody(404, 'no subscriber with this address'));
        const localDate = localDateIn(subscriber.timezone, new Date());
        const papers = await selectPapersForReader(deps.pool, {
          subscriberId: subscriber.id,
          topics: subscriber.topics,
          localDate,
          lookbackDays: deps.config.digestLookbackDays,
          limit: subscriber.paperCount,
        });
        const input = { date: localDate, papers };
        const mail =
          papers.length === 0
            ? null
            : publicCopy(
                await renderEdition(input, {
                  publicBaseUrl: deps.config.publicBaseUrl,
                  postalAddress: deps.config.postalAddress,
                }),
                deps.config,
                editionKey(input),
              );
        if (request.query.format === 'json') {
          return {
            localDate,
            subject: mail?.subject ?? null,
            text: mail?.text ?? null,
            papers: papers.map(({ id, title, matchedTopics }) => ({ id, title, matchedTopics })),
          };
        }
        const html =
          mail?.html ??
          `<!doctype html><title>Nothing new</title><p>Nothing new for this reader on ${localDate}: no digest would be sent.</p>`;
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
      },
    );
  });
}
