import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { findEditionPaper, findPaperTitle, findSubscriber, recordVote } from '@paperboy/db';
import { linkPaths, parseVoteTarget, personalUrl, type VoteDirection, verifyToken } from '@paperboy/links';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { sendPage } from '../pages/send-page.ts';
import { invalidLinkPage } from '../pages/token-pages.ts';
import { votedPage, votePage } from '../pages/vote-pages.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });
const EditionVoteParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 512 }),
  position: Type.Integer({
    minimum: 1,
    maximum: 100,
    description: "The paper's place in the digest, from 1",
  }),
  direction: Type.Union([Type.Literal('more'), Type.Literal('less')]),
});
const tags = ['links in mails'];
const invalid = 'A page saying the link does not work (malformed, forged, revoked, or the paper is gone)';

/** A vote link as it arrived: a token for the edition plus the paper and direction, or (older mails) a token for one paper and direction. */
type VoteLink = { token: string; position?: number; direction?: VoteDirection };

/**
 * "More like this" / "less like this" beside every paper of a digest. The signed token names the
 * reader and the edition (links mailed earlier: the paper and the direction), the path the
 * paper's position and the direction. GET shows one button and records nothing (mail scanners
 * and link previews open every link); the button POSTs, which records the vote.
 */
export function voteRoutes(app: App, deps: ApiDeps): void {
  /** The vote a link stands for, with the paper's title, or null when it must not count. */
  const readVote = async ({ token, position, direction }: VoteLink) => {
    const check = verifyToken(deps.config.tokenSecret, token, 'vote');
    const target = check.ok ? parseVoteTarget(check.claims.target) : null;
    if (!check.ok || !target) return null;
    // Each form only in its own path: an edition token needs the position, a paper token has none.
    if ((target.kind === 'edition') !== (position !== undefined && direction !== undefined)) return null;
    const [subscriber, paper] = await Promise.all([
      findSubscriber(deps.pool, check.claims.subscriberId),
      target.kind === 'edition'
        ? findEditionPaper(deps.pool, target.editionId, position!)
        : findPaperTitle(deps.pool, target.paperId).then((title) =>
            title === null ? null : { paperId: target.paperId, title },
          ),
    ]);
    if (!subscriber || subscriber.tokenVersion !== check.claims.version || paper === null) return null;
    return {
      subscriber,
      title: paper.title,
      paperId: paper.paperId,
      direction: target.kind === 'edition' ? direction! : target.direction,
    };
  };
  const pathOf = ({ token, position, direction }: VoteLink) =>
    position === undefined
      ? `${linkPaths.vote}${token}`
      : `${linkPaths.vote}${token}/${position}/${direction}`;

  const showVote = async (link: VoteLink, reply: FastifyReply) => {
    const vote = await readVote(link);
    if (!vote) return sendPage(reply, 400, invalidLinkPage());
    return sendPage(reply, 200, votePage(pathOf(link), vote.direction, vote.title));
  };
  const recordPressedVote = async (link: VoteLink, reply: FastifyReply) => {
    const vote = await readVote(link);
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
  };
  const showSchema = {
    summary: 'A vote page with one button (records nothing)',
    tags,
    response: {
      200: htmlResponse('The paper and a button'),
      400: htmlResponse(invalid),
      ...errorResponses(429),
    },
  };
  const recordSchema = {
    summary: 'Record "more like this" or "less like this" (one vote per paper; the latest counts)',
    tags,
    response: {
      200: htmlResponse('Recorded; links to what was learned'),
      400: htmlResponse(invalid),
      ...errorResponses(413, 415, 429),
    },
  };

  app.register(async (scope) => {
    const votes = scope.withTypeProvider<TypeBoxTypeProvider>();
    const edition = '/vote/:token/:position/:direction';
    votes.get(edition, { schema: { ...showSchema, params: EditionVoteParams } }, (request, reply) =>
      showVote(request.params, reply),
    );
    votes.post(
      edition,
      { bodyLimit: 1024, schema: { ...recordSchema, params: EditionVoteParams } },
      (request, reply) => recordPressedVote(request.params, reply),
    );
    // Links of mails sent before votes were signed per edition: one token per paper and direction.
    votes.get('/vote/:token', { schema: { ...showSchema, params: TokenParams } }, (request, reply) =>
      showVote(request.params, reply),
    );
    votes.post(
      '/vote/:token',
      { bodyLimit: 1024, schema: { ...recordSchema, params: TokenParams } },
      (request, reply) => recordPressedVote(request.params, reply),
    );
  });
}
