import { findEdition, listEditions } from '@paperboy/db';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { archivePage, subscriptionHelpPage } from '../pages/archive-pages.ts';
import { publicCopy } from '../public-copy.ts';
import { ErrorSchema } from '../schemas.ts';

const EditionParams = Type.Object({ id: Type.String({ pattern: '^[a-f0-9]{8,64}$' }) });
const ArchiveQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) },
  { additionalProperties: false },
);

/**
 * The web copy of each edition ("view in browser") and the archive. An edition is shared by many
 * readers, so its personal links are replaced by a page explaining where the reader's own are.
 */
export function digestsRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/digests',
    {
      schema: {
        summary: 'Past digests, newest first',
        querystring: ArchiveQuery,
        response: { 200: Type.String(), 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      const editions = await listEditions(deps.pool, request.query.limit ?? 60);
      return reply.type('text/html; charset=utf-8').send(archivePage(editions));
    },
  );

  app.get(
    '/digests/:id',
    {
      schema: {
        summary: 'One digest edition as a web page, with no personal data',
        params: EditionParams,
        response: { 200: Type.String(), 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const edition = await findEdition(deps.pool, request.params.id);
      if (!edition)
        return reply.status(404).send({ error: 'not_found', message: 'no digest edition with this id' });
      const page = publicCopy(edition, deps.config, edition.id);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(page.html);
    },
  );

  app.get(
    '/subscription',
    { schema: { summary: 'Where a reader finds their own links', response: { 200: Type.String() } } },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(subscriptionHelpPage()),
  );
}
