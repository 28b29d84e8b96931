import { listPapers } from '@paperboy/db';
import { isIsoDate } from '@paperboy/papers';
import { type TSchema, Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { ErrorSchema } from '../schemas.ts';

const DEFAULT_LIMIT = 20;

const PapersQuery = Type.Object(
  {
    date: Type.Optional(
      Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'UTC day the papers trended on' }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'A topic: words or a phrase, as a reader writes it',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_LIMIT })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const ListedPaper = Type.Object({
  id: Type.String(),
  arxivId: Nullable(Type.String()),
  title: Type.String(),
  authors: Type.Array(Type.String()),
  abstract: Type.String(),
  aiSummary: Nullable(Type.String()),
  aiKeywords: Type.Array(Type.String()),
  links: Type.Object({
    abstract: Type.Optional(Type.String()),
    pdf: Type.Optional(Type.String()),
    huggingFace: Type.Optional(Type.String()),
    code: Type.Optional(Type.String()),
    projectPage: Type.Optional(Type.String()),
  }),
  upvotes: Nullable(Type.Integer()),
  comments: Nullable(Type.Integer()),
  githubStars: Nullable(Type.Integer()),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  trendingDate: Nullable(Type.String()),
  sources: Type.Array(Type.String()),
  trendingScore: Type.Number({ description: 'Upvotes with recency decay; see packages/papers/src/score.ts' }),
  topicRank: Nullable(Type.Number({ description: 'Full-text match of q (title > keywords > abstract)' })),
});

const PapersPage = Type.Object({
  date: Nullable(Type.String()),
  q: Nullable(Type.String()),
  limit: Type.Integer(),
  papers: Type.Array(ListedPaper),
});

export function papersRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/papers',
    {
      schema: {
        summary: 'Papers in the store with their scores, best first (by topic match when q is given)',
        querystring: PapersQuery,
        response: { 200: PapersPage, 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { date = null, limit = DEFAULT_LIMIT } = request.query;
      if (date !== null && !isIsoDate(date))
        return reply.status(400).send(errorBody(400, `querystring.date "${date}" is not a calendar day`));
      const q = request.query.q?.replace(/\s+/g, ' ').trim() ?? null;
      if (q === '') return reply.status(400).send(errorBody(400, 'querystring.q must not be blank'));
      const papers = await listPapers(deps.pool, { date, q, limit, now: new Date() });
      return reply.status(200).send({ date, q, limit, papers });
    },
  );
}
