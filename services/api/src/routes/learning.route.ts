import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { findLearning, type Learning, resetLearning } from '@paperboy/db';
import { linkPaths } from '@paperboy/links';
import { type Static, Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { sendPage } from '../pages/send-page.ts';
import { invalidLinkPage } from '../pages/token-pages.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';
import { findReader, readerOf, readerOnly } from '../security/reader-auth.ts';

const Term = Type.Object({
  term: Type.String({ description: 'A word from the papers you marked' }),
  lexeme: Type.String({ description: 'The full-text stem ranking matches' }),
  weight: Type.Number({ minimum: -1, maximum: 1 }),
});
export const LearningSchema = Type.Object({
  votes: Type.Object({ more: Type.Integer(), less: Type.Integer() }),
  more: Type.Array(Term, { description: 'Terms whose papers rise, strongest first' }),
  less: Type.Array(Term, { description: 'Terms whose papers sink, strongest first' }),
});

export function learningView(learning: Learning): Static<typeof LearningSchema> {
  const term = ({ label, lexeme, weight }: Learning['more'][number]) => ({ term: label, lexeme, weight });
  return { votes: learning.votes, more: learning.more.map(term), less: learning.less.map(term) };
}

/** What "more like this" / "less like this" taught, and forgetting it. */
export function learningRoutes(app: App, deps: ApiDeps): void {
  const onRequest = readerOnly(deps);
  const security = [{ manageToken: [] }];

  app.get(
    '/v1/subscriptions/me/learning',
    {
      onRequest,
      schema: {
        summary: 'What your votes taught: the terms that lift or sink papers in your digests',
        tags: ['reader'],
        security,
        response: { 200: LearningSchema, ...errorResponses(401, 429) },
      },
    },
    async (request) => learningView(await findLearning(deps.pool, readerOf(request).id)),
  );

  app.delete(
    '/v1/subscriptions/me/learning',
    {
      onRequest,
      schema: {
        summary: 'Forget every vote and what was learned; digests rank as for a new reader',
        tags: ['reader'],
        security,
        response: { 204: Type.Null({ description: 'Forgotten' }), ...errorResponses(401, 409, 429) },
      },
    },
    async (request, reply) => {
      const reader = readerOf(request);
      if (!(await resetLearning(deps.pool, reader.id, reader.tokenVersion)))
        return reply.status(409).send(errorBody(409, 'your subscription changed meanwhile; reload it'));
      return reply.status(204).send(null);
    },
  );

  app.register(async (scope) => {
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/manage/:token/learning/reset',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'Forget every vote and what was learned; answers 303 to the page with a notice',
          tags: ['preference centre'],
          params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }),
          response: {
            303: Type.Null({ description: 'Forgotten; back to the page' }),
            400: htmlResponse('The link does not work'),
            ...errorResponses(413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const reader = await findReader(deps, token);
        if (!reader || !(await resetLearning(deps.pool, reader.id, reader.tokenVersion)))
          return sendPage(reply, 400, invalidLinkPage());
        return reply
          .status(303)
          .header('location', `${linkPaths.manage}${token}?learning=reset#learning`)
          .send(null);
      },
    );
  });
}
