import { findPaperPage } from '@paperboy/db';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { paperNotFoundPage, paperPage } from '../pages/paper-page.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';

// arXiv ids (2509.04664, hep-th/9901001, the slash sent as %2F) and title-derived ids (t-<hex>).
const PaperParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' }),
});

/** paperboy's own page of a paper: every paper in a digest can be opened, even with no link elsewhere. */
export function paperPageRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/papers/:id',
    {
      schema: {
        summary: "A paper's page: title, authors, abstract, source and links",
        tags: ['pages'],
        params: PaperParams,
        response: {
          200: htmlResponse('The paper'),
          404: htmlResponse('A page saying there is no such paper'),
          ...errorResponses(400, 429),
        },
      },
    },
    async (request, reply) => {
      const paper = await findPaperPage(deps.pool, request.params.id);
      reply.type('text/html; charset=utf-8');
      if (!paper) return reply.status(404).header('cache-control', 'no-store').send(paperNotFoundPage());
      // Public and the same for everyone; upvotes change a few times a day at most.
      return reply
        .header('cache-control', 'public, max-age=3600')
        .header('last-modified', paper.updatedAt.toUTCString())
        .send(paperPage(paper));
    },
  );
}
