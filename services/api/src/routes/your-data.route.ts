import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { eraseSubscriber, exportSubscriberData, findSubscriber, type Subscriber } from '@paperboy/db';
import { linkPaths, verifyToken } from '@paperboy/links';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { erasedPage, eraseNotConfirmedPage } from '../pages/manage-result-pages.ts';
import { sendPage } from '../pages/send-page.ts';
import { alreadyGonePage, invalidLinkPage } from '../pages/token-pages.ts';
import { yourDataPage } from '../pages/your-data-pages.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';
import { exportView } from '../subscriber-schemas.ts';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });
const tags = ['your data'];
const invalid = htmlResponse('A page saying the link does not work (forged, expired or revoked)');
const gone = 'A kind page when the data is already erased';

type DataReader = { kind: 'reader'; subscriber: Subscriber } | { kind: 'gone' } | { kind: 'invalid' };

/**
 * The pages a "your data link" opens (mailed on request, valid one hour, revoked by "sign out all
 * links"): the only place where a reader's data is exported or erased.
 */
export function yourDataRoutes(app: App, deps: ApiDeps): void {
  const readerOf = async (token: string): Promise<DataReader> => {
    const check = verifyToken(deps.config.tokenSecret, token, 'data');
    if (!check.ok) return { kind: 'invalid' };
    const subscriber = await findSubscriber(deps.pool, check.claims.subscriberId);
    if (!subscriber) return { kind: 'gone' };
    return subscriber.tokenVersion === check.claims.version
      ? { kind: 'reader', subscriber }
      : { kind: 'invalid' };
  };

  app.register(async (scope) => {
    const data = scope.withTypeProvider<TypeBoxTypeProvider>();

    data.get(
      '/data/:token',
      {
        schema: {
          summary: 'Your data page: download or erase (changes nothing by itself)',
          tags,
          params: TokenParams,
          response: { 200: htmlResponse(`The page, or ${gone}`), 400: invalid, ...errorResponses(429) },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const found = await readerOf(token);
        if (found.kind === 'invalid') return sendPage(reply, 400, invalidLinkPage());
        if (found.kind === 'gone') return sendPage(reply, 200, alreadyGonePage());
        const self = `${linkPaths.data}${token}`;
        return sendPage(
          reply,
          200,
          yourDataPage({ exportData: `${self}/export`, erase: `${self}/erase` }, found.subscriber.email),
        );
      },
    );

    data.get(
      '/data/:token/export',
      {
        schema: {
          summary: 'Download everything stored about you, as a JSON attachment',
          tags,
          params: TokenParams,
          response: {
            200: Type.Unknown({ description: 'The export, as a JSON attachment' }),
            400: invalid,
            ...errorResponses(429),
          },
        },
      },
      async (request, reply) => {
        const found = await readerOf(request.params.token);
        const exported =
          found.kind === 'reader' && (await exportSubscriberData(deps.pool, found.subscriber.id));
        if (!exported) return sendPage(reply, 400, invalidLinkPage());
        return reply
          .header('cache-control', 'no-store')
          .header('content-disposition', 'attachment; filename="paperboy-my-data.json"')
          .type('application/json; charset=utf-8')
          .send(JSON.stringify(exportView(exported, new Date()), null, 2));
      },
    );

    data.post(
      '/data/:token/erase',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'Erase everything stored about you (needs confirm=yes)',
          tags,
          params: TokenParams,
          body: Type.Object(
            { confirm: Type.Optional(Type.String({ maxLength: 10 })) },
            { additionalProperties: false },
          ),
          response: {
            200: htmlResponse(`Erased, or ${gone}`),
            400: htmlResponse('Not confirmed, or the link does not work'),
            ...errorResponses(413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const found = await readerOf(token);
        if (found.kind === 'invalid') return sendPage(reply, 400, invalidLinkPage());
        if (found.kind === 'gone') return sendPage(reply, 200, alreadyGonePage());
        if (request.body?.confirm !== 'yes')
          return sendPage(reply, 400, eraseNotConfirmedPage(`${linkPaths.data}${token}`));
        // A racing erase took the row first: the outcome is the same.
        await eraseSubscriber(deps.pool, found.subscriber.id, found.subscriber.tokenVersion);
        return sendPage(reply, 200, erasedPage());
      },
    );
  });
}
