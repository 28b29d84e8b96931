import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FetchLogEvent,
  fetchHfDailyPapers,
  hfDailyPaperPages,
  parseHfDailyPapers,
  SourceError,
} from '../src/index.ts';
import { type LocalServer, sendJson, startLocalServer } from './support/local-server.ts';

const traps: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/hf-daily-papers-traps.json', import.meta.url), 'utf8'),
);
const DAY = '2025-09-08';
const fast = { backoffMs: 5, maxBackoffMs: 20 };

/** A minimal wire item, as Hugging Face sends it. */
function hfItem(id: string, upvotes: number) {
  return {
    paper: {
      id,
      authors: [],
      publishedAt: '2025-09-05T10:00:00.000Z',
      title: `Paper ${id}`,
      summary: 's',
      upvotes,
    },
    publishedAt: '2025-09-05T10:00:00.000Z',
    title: `Paper ${id}`,
    numComments: 0,
  };
}

function ids(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `2509.${String(10000 + from + i)}`);
}

describe('parseHfDailyPapers', () => {
  const batch = parseHfDailyPapers(traps, DAY);
  const byId = new Map(batch.papers.map((paper) => [paper.id, paper]));

  it('takes upvotes from paper, comments from the top level, and unwraps text', () => {
    const paper = byId.get('2509.04664');
    expect(paper).toMatchObject({
      arxivId: '2509.04664',
      title: 'Why Language Models Hallucinate',
      upvotes: 26,
      comments: 3,
      githubStars: 19,
      authors: ['Adam Tauman Kalai', 'Ofir Nachum', 'Santosh S. Vempala'],
      aiSummary: 'Language models hallucinate because training rewards guessing.',
      aiKeywords: ['hallucinations', 'evaluation', 'calibration'],
      publishedAt: '2025-09-04T21:26:31.000Z',
      trendingDate: DAY,
      withdrawn: false,
      sources: ['huggingface'],
    });
    expect(paper?.abstract).toBe(
      'Like students facing hard exam questions, large language models sometimes guess when uncertain, ' +
        'producing plausible yet incorrect statements instead of admitting uncertainty.\n\n' +
        'We argue that language models hallucinate because the training and evaluation procedures reward guessing.',
    );
    expect(paper?.links).toEqual({
      abstract: 'https://arxiv.org/abs/2509.04664',
      pdf: 'https://arxiv.org/pdf/2509.04664',
      huggingFace: 'https://huggingface.co/papers/2509.04664',
      code: 'https://github.com/openai/hallucination-evals',
      projectPage: 'https://openai.com/index/why-language-models-hallucinate/',
    });
  });

  it('keeps the raw item, unknown fields included', () => {
    const raw = byId.get('2509.04664')?.raw as { paper: { brandNewField: unknown } };
    expect(raw.paper.brandNewField).toEqual({ nested: [1, 2, 3] });
  });

  it('reads a bare owner/repo and tolerates a missing AI summary', () => {
    expect(byId.get('2509.05209')).toMatchObject({
      title: 'Short-form Repo Name',
      links: { code: 'https://github.com/mei-lin/short-form' },
      aiSummary: null,
      aiKeywords: [],
      comments: 0,
    });
  });

  it('marks a withdrawn paper so it is never mailed', () => {
    expect(byId.get('2509.01111')?.withdrawn).toBe(true);
  });

  it('skips items without an id or a title, with their index, and keeps the rest', () => {
    expect(batch.skipped).toEqual([
      { position: 3, reason: 'paper.id is missing' },
      { position: 4, reason: 'paper 2509.02222 has no title' },
    ]);
    expect(batch.papers.map((paper) => paper.id)).toEqual([
      '2509.04664',
      '2509.05209',
      '2509.01111',
      '2509.03333',
    ]);
  });

  it('drops values of the wrong kind instead of trusting them', () => {
    expect(byId.get('2509.03333')).toMatchObject({ upvotes: null, comments: null, aiKeywords: [] });
    expect(byId.get('2509.03333')?.links.code).toBeUndefined();
    expect(byId.get('2509.03333')?.links.projectPage).toBeUndefined();
  });

  it('rejects a payload that is not an array', () => {
    expect(() => parseHfDailyPapers({ error: 'nope' }, DAY)).toThrow(/not a JSON array/);
  });
});

describe('fetchHfDailyPapers against a local server', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());

  it('asks for the day with the maximum page size and parses the traps', async () => {
    server.respond((_request, response) => sendJson(response, traps));
    const batch = await fetchHfDailyPapers({ baseUrl: server.baseUrl, date: DAY });
    expect(server.requests).toEqual([`/api/daily_papers?date=${DAY}&limit=100&p=0`]);
    expect(batch.papers).toHaveLength(4);
    expect(batch.skipped).toHaveLength(2);
  });

  it('reads a weekend day as an empty day', async () => {
    server.respond((_request, response) => sendJson(response, []));
    const batch = await fetchHfDailyPapers({ baseUrl: server.baseUrl, date: '2025-09-06' });
    expect(batch).toEqual({ papers: [], skipped: [] });
    expect(server.requests).toHaveLength(1);
  });

  it('pages through a day of 107 papers and stops at the short page', async () => {
    const all = ids(107).map((id, i) => hfItem(id, 500 - i));
    server.respond((request, response) => {
      const page = Number(new URL(request.url ?? '', server.baseUrl).searchParams.get('p'));
      sendJson(response, all.slice(page * 100, page * 100 + 100));
    });
    const batch = await fetchHfDailyPapers({ baseUrl: server.baseUrl, date: DAY });
    expect(server.requests).toEqual([
      `/api/daily_papers?date=${DAY}&limit=100&p=0`,
      `/api/daily_papers?date=${DAY}&limit=100&p=1`,
    ]);
    expect(batch.papers.map((paper) => paper.id)).toEqual(ids(107));
  });

  it('follows a Link rel=next header and drops a paper that slid onto the next page', async () => {
    const first = ids(100).map((id) => hfItem(id, 10));
    // Upvotes moved while paging: the last paper of page 0 shows up again on page 1.
    const second = [hfItem('2509.10099', 9), hfItem('2509.20000', 1)];
    server.respond((request, response) => {
      if (request.url?.includes('cursor=abc')) sendJson(response, second);
      else
        sendJson(response, first, {
          link: `</api/daily_papers?date=${DAY}&limit=100&cursor=abc>; rel="next"`,
        });
    });
    const batch = await fetchHfDailyPapers({ baseUrl: server.baseUrl, date: DAY });
    expect(server.requests[1]).toBe(`/api/daily_papers?date=${DAY}&limit=100&cursor=abc`);
    expect(batch.papers).toHaveLength(101);
    expect(batch.papers.at(-1)?.id).toBe('2509.20000');
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    const events: FetchLogEvent[] = [];
    server.respond((_request, response, hit) => {
      if (hit === 0) response.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else sendJson(response, traps);
    });
    const batch = await fetchHfDailyPapers({
      baseUrl: server.baseUrl,
      date: DAY,
      fetchOptions: { ...fast, log: (event) => events.push(event) },
    });
    expect(batch.papers).toHaveLength(4);
    expect(server.requests).toHaveLength(2);
    expect(events).toEqual([expect.objectContaining({ attempt: 1, status: 429, waitMs: 1000 })]);
  });

  it('retries a 500 and then succeeds', async () => {
    server.respond((_request, response, hit) => {
      if (hit === 0) response.writeHead(500).end('oops');
      else sendJson(response, traps);
    });
    const batch = await fetchHfDailyPapers({ baseUrl: server.baseUrl, date: DAY, fetchOptions: fast });
    expect(batch.papers).toHaveLength(4);
    expect(server.requests).toHaveLength(2);
  });

  it('fails clearly after its retries when the server keeps answering 500', async () => {
    server.respond((_request, response) => response.writeHead(500).end('still broken'));
    const failure = fetchHfDailyPapers({
      baseUrl: server.baseUrl,
      date: DAY,
      fetchOptions: { ...fast, retries: 2 },
    });
    await expect(failure).rejects.toBeInstanceOf(SourceError);
    await expect(failure).rejects.toMatchObject({
      kind: 'http',
      status: 500,
      retryable: true,
      attempts: 3,
      url: `${server.baseUrl}/api/daily_papers?date=${DAY}&limit=100&p=0`,
      message: expect.stringContaining('answered 500'),
    });
    expect(server.requests).toHaveLength(3);
  });

  it('rejects a truncated JSON body as malformed, naming the URL', async () => {
    server.respond((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('[{"paper": {"id": "2509'),
    );
    await expect(fetchHfDailyPapers({ baseUrl: server.baseUrl, date: DAY })).rejects.toMatchObject({
      kind: 'malformed',
      retryable: false,
      message: expect.stringMatching(/daily_papers\?date=2025-09-08.*not valid JSON/),
    });
  });

  it('hands over each page before asking for the next, so a later failure cannot take it back', async () => {
    const first = ids(100).map((id) => hfItem(id, 10));
    server.respond((request, response) => {
      if (request.url?.includes('p=0')) sendJson(response, first);
      else response.writeHead(500).end('page 2 is broken');
    });
    const pages = hfDailyPaperPages({
      baseUrl: server.baseUrl,
      date: DAY,
      fetchOptions: { ...fast, retries: 1 },
    });
    const page = await pages.next();
    expect(page.done).toBe(false);
    expect(page.value).toMatchObject({
      page: 0,
      url: `${server.baseUrl}/api/daily_papers?date=${DAY}&limit=100&p=0`,
    });
    expect(page.value?.papers).toHaveLength(100);
    await expect(pages.next()).rejects.toMatchObject({ kind: 'http', status: 500, retryable: true });
  });

  it('refuses a day after today in UTC before asking', async () => {
    server.respond((_request, response) => sendJson(response, []));
    await expect(
      fetchHfDailyPapers({
        baseUrl: server.baseUrl,
        date: '2025-09-09',
        now: new Date('2025-09-08T23:59:00Z'),
      }),
    ).rejects.toThrow(/after today in UTC/);
    expect(server.requests).toHaveLength(0);
  });
});
