import etag from '@fastify/etag';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { dailyTopPapers, findFeedLinkReader, readerFeedEntries } from '@paperboy/db';
import { feedTokenVersion, personalFeedUrl, verifyToken } from '@paperboy/links';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { dailyFeed, readerFeed } from '../feeds/feed-entries.ts';
import { atomFeed, type FeedDocument, JsonFeedSchema, jsonFeed } from '../feeds/feed-formats.ts';
import { errorResponses } from '../schemas.ts';

const DAYS = 7;
const PER_DAY = 10;
const READER_DIGESTS = 30;
const tags = ['feeds'];
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });
const notModified = Type.Null({ description: 'Not modified since the copy named by If-None-Match' });
const atomResponse = (description: string) => ({
  description,
  content: { 'application/atom+xml': { schema: Type.String() } },
});

const DEAD_LINK = errorBody(
  404,
  'this feed link does not work: it was replaced by a new one, signed out, or never existed. The preference centre shows your current link',
);

/**
 * Conditional GET: Last-Modified here, ETag and the 304 for If-None-Match from @fastify/etag (a
 * hash of the body, so any change a reader could see changes it). If-Modified-Since alone is
 * answered too, for readers that only keep the date.
 */
function cacheable(request: FastifyRequest, reply: FastifyReply, feed: FeedDocument, cacheControl: string) {
  const lastModified = new Date(Math.floor(feed.updated.getTime() / 1000) * 1000);
  reply.header('cache-control', cacheControl).header('last-modified', lastModified.toUTCString());
  const since = Date.parse(String(request.headers['if-modified-since'] ?? ''));
  return (
    request.headers['if-none-match'] === undefined && !Number.isNaN(since) && lastModified.getTime() <= since
  );
}

/** Public Atom and JSON Feed of each day's top papers, and each reader's private Atom feed of their digests. */
export function feedsRoutes(app: App, deps: ApiDeps): void {
  const base = deps.config.publicBaseUrl;
  const daily = async () =>
    dailyFeed(base, await dailyTopPapers(deps.pool, { now: new Date(), days: DAYS, perDay: PER_DAY }));

  app.register(async (scope) => {
    await scope.register(etag);
    const feeds = scope.withTypeProvider<TypeBoxTypeProvider>();

    feeds.get(
      '/feeds/daily.atom',
      {
        schema: {
          summary: `Atom feed: the top ${PER_DAY} trending papers of each of the last ${DAYS} days`,
          tags,
          response: { 200: atomResponse('Atom 1.0 (RFC 4287)'), 304: notModified, ...errorResponses(429) },
        },
      },
      async (request, reply) => {
        const feed = await daily();
        if (cacheable(request, reply, feed, 'public, max-age=900')) return reply.status(304).send(null);
        return reply.type('application/atom+xml; charset=utf-8').send(atomFeed(feed));
      },
    );

    feeds.get(
      '/feeds/daily.json',
      {
        schema: {
          summary: `JSON Feed 1.1: the top ${PER_DAY} trending papers of each of the last ${DAYS} days`,
          tags,
          response: {
            200: { ...JsonFeedSchema, description: 'JSON Feed 1.1' },
            304: notModified,
            ...errorResponses(429),
          },
        },
      },
      async (request, reply) => {
        const feed = await daily();
        if (cacheable(request, reply, feed, 'public, max-age=900')) return reply.status(304).send(null);
        return reply.type('application/feed+json; charset=utf-8').send(jsonFeed(feed));
      },
    );

    feeds.get(
      '/feeds/reader/:token',
      {
        schema: {
          summary:
            "A reader's private Atom feed of the digests sent to them (the link is in the preference centre)",
          description:
            'The token is purpose-bound ("feed"); "New feed link" and "Sign out all links" in the preference centre revoke it.',
          tags,
          params: TokenParams,
          response: {
            200: atomResponse('Atom 1.0 (RFC 4287)'),
            304: notModified,
            ...errorResponses(404, 429),
          },
        },
      },
      async (request, reply) => {
        const check = verifyToken(deps.config.tokenSecret, request.params.token, 'feed');
        const reader = check.ok ? await findFeedLinkReader(deps.pool, check.claims.subscriberId) : null;
        if (!check.ok || !reader || feedTokenVersion(reader) !== check.claims.version)
          return reply.status(404).header('cache-control', 'no-store').send(DEAD_LINK);
        const links = { publicBaseUrl: base, tokenSecret: deps.config.tokenSecret };
        const digests = await readerFeedEntries(deps.pool, reader.id, READER_DIGESTS);
        const feed = readerFeed(base, reader, personalFeedUrl(links, reader), digests);
        // Personal: only the reader's own feed reader may keep a copy, and must ask again each time.
        if (cacheable(request, reply, feed, 'private, no-cache')) return reply.status(304).send(null);
        return reply.type('application/atom+xml; charset=utf-8').send(atomFeed(feed));
      },
    );
  });
}
