import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { findPaperTitle, findSubscriber, recordVote } from '@paperboy/db';
import { linkPaths, parseVoteTarget, personalUrl, verifyToken } from '@paperboy/links';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { sendPage } from '../pages/send-page.ts';
import { invalidLinkPage } from '../pages/token-pages.ts';
import { votedPage, votePage } from '../pages/vote-pages.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });
const tags = ['links in mails'];
const invalid = 'A page saying the link does not work (malformed, forged, revoked, or the paper is gone)';

/**
 * "More like this" / "less like this" beside every paper of a digest. The signed token names the
 * reader, the paper and the direction. GET shows one button and records nothing (mail scanners
 * and link previews open every link); the button POSTs, which records the vote.
 */
export function voteRoutes(app: App, deps: ApiDeps): void {
  /** The vote a token stands for, with the paper's title, or null when it must not count. */
  const readVote = async (token: string) => {
    const check = verifyToken(deps.config.tokenSecret, token, 'vote');
    const vote = check.ok ? parseVoteTarget(check.claims.target) : null;
    if (!check.ok || !vote) return null;
    const [subscriber, title] = await Promise.all([
      findSubscriber(deps.pool, check.claims.subscriberId),
      findPaperTitle(deps.pool, vote.paperId),
    ]);
    if (!subscriber || subscriber.tokenVersion !== check.claims.version || title === null) return null;
    return { subscriber, title, ...vote };
  };

  app.register(async (scope) => {
    const votes = scope.withTypeProvider<TypeBoxTypeProvider>();

    votes.get(
      '/vote/:token',
      {
        schema: {
          summary: 'A vote page with one button (records nothing)',
          tags,
          params: TokenParams,
          response: {
            200: htmlResponse('The paper and a button'),
            400: htmlResponse(invalid),
            ...errorResponses(429),
          },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const vote = await readVote(token);
        if (!vote) return sendPage(reply, 400, invalidLinkPage());
        return sendPage(reply, 200, votePage(`${linkPaths.vote}${token}`, vote.direction, vote.title));
      },
    );

    votes.post(
      '/vote/:token',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'Record "more like this" or "less like this" (one vote per paper; the latest counts)',
          tags,
          params: TokenParams,
          response: {
            200: htmlResponse('Recorded; links to what was learned'),
            400: htmlResponse(invalid),
            ...errorResponses(413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const vote = await readVote(request.params.token);
        if (!vote) return sendPage(reply, 400, invalidLinkPage());
        const outcome = await recordVote(deps.pool, {
          subscriberId: vote.subscriber.id,
          tokenVersion: vote.subscriber.tokenVersion,
          paperId: vote.paperId,
          direction: vote.direction,
        });
        if (outcome !== 'recorded') return sendPage(reply, 400, invalidLinkPage());
        const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
        return sendPage(
          reply,
          200,
          votedPage(vote.direction, vote.title, personalUrl(links, 'manage', vote.subscriber)),
        );
      },
    );
  });
}
