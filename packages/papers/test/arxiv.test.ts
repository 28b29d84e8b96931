import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArxivListing, InProcessRequestLimiter, parseArxivAtom, SourceError } from '../src/index.ts';
import { type LocalServer, startLocalServer } from './support/local-server.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const twoEntries = fixture('arxiv-two-entries.xml');
const emptyFeed = fixture('arxiv-empty.xml');
const errorFeed = fixture('arxiv-error.xml');

describe('parseArxivAtom', () => {
  const [modern, oldStyle] = parseArxivAtom(twoEntries).papers;

  it('strips the version so the id meets the Hugging Face record', () => {
    expect(modern?.id).toBe('2509.04660');
    expect(modern?.arxivId).toBe('2509.04660');
    expect(oldStyle?.id).toBe('hep-th/9901001');
  });

  it('unwraps titles and abstracts and decodes entities', () => {
    expect(modern?.title).toBe(
      'Why Language Models Hallucinate: Guessing, Calibration and the Evaluation of Uncertainty',
    );
    expect(modern?.abstract).toBe(
      'Like students facing hard exam questions, large language models sometimes guess when uncertain, ' +
        'producing plausible yet incorrect statements & claims instead of admitting uncertainty.',
    );
    expect(oldStyle?.title).toBe('An Old-Style Identifier');
  });

  it('reads every author, the primary category first, the date and the links', () => {
    expect(modern).toMatchObject({
      authors: ['Adam Tauman Kalai', 'Ofir Nachum', 'Santosh S. Vempala'],
      categories: ['cs.CL', 'cs.AI', 'cs.LG'],
      publishedAt: '2025-09-04T21:26:31.000Z',
      upvotes: null,
      trendingDate: null,
      withdrawn: false,
      sources: ['arxiv'],
      links: {
        abstract: 'https://arxiv.org/abs/2509.04660',
        pdf: 'https://arxiv.org/pdf/2509.04660',
        huggingFace: 'https://huggingface.co/papers/2509.04660',
        code: 'https://github.com/openai/hallucination-evals',
      },
    });
    expect(oldStyle?.links.pdf).toBe('https://arxiv.org/pdf/hep-th/9901001');
    expect(oldStyle?.categories).toEqual(['hep-th']);
  });

  it('keeps comment, journal ref, DOI and the versioned links in raw', () => {
    const raw = modern?.raw as Record<string, unknown>;
    expect(JSON.stringify(raw)).toContain('TMLR 2025');
    expect(JSON.stringify(raw)).toContain('10.48550/arXiv.2509.04660');
    expect(JSON.stringify(raw)).toContain('http://arxiv.org/pdf/2509.04660v2');
  });

  it('reads an empty feed as no papers, and an error feed or broken XML as an error', () => {
    expect(parseArxivAtom(emptyFeed)).toEqual({ papers: [], skipped: [] });
    expect(() => parseArxivAtom(errorFeed)).toThrow(/arXiv API error: incorrect id format/);
    expect(() => parseArxivAtom(twoEntries.slice(0, 500))).toThrow(/not well-formed XML/);
  });
});

describe('fetchArxivListing against a local server', () => {
  let server: LocalServer;
  const limiter = new InProcessRequestLimiter({ intervalMs: 20 });
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());

  it('asks for the newest submissions in the categories, OR-ed', async () => {
    server.respond((_request, response) => response.end(twoEntries));
    const batch = await fetchArxivListing({
      baseUrl: server.baseUrl,
      categories: ['cs.LG', 'cs.CL'],
      maxResults: 50,
      limiter,
    });
    expect(server.requests).toEqual([
      '/api/query?search_query=cat:cs.LG+OR+cat:cs.CL&sortBy=submittedDate&sortOrder=descending&start=0&max_results=50',
    ]);
    expect(batch.papers.map((paper) => paper.id)).toEqual(['2509.04660', 'hep-th/9901001']);
  });

  it('asks again when arXiv answers an empty page', async () => {
    server.respond((_request, response, hit) => response.end(hit === 0 ? emptyFeed : twoEntries));
    const batch = await fetchArxivListing({ baseUrl: server.baseUrl, categories: ['cs.LG'], limiter });
    expect(server.requests).toHaveLength(2);
    expect(batch.papers).toHaveLength(2);
  });

  it('accepts an empty listing after a few tries', async () => {
    server.respond((_request, response) => response.end(emptyFeed));
    const batch = await fetchArxivListing({
      baseUrl: server.baseUrl,
      categories: ['cs.LG'],
      limiter,
      emptyRetries: 2,
    });
    expect(batch).toEqual({ papers: [], skipped: [] });
    expect(server.requests).toHaveLength(3);
  });

  it('turns an error feed into a non-retryable SourceError naming the URL', async () => {
    server.respond((_request, response) => response.end(errorFeed));
    const failure = fetchArxivListing({ baseUrl: server.baseUrl, categories: ['cs.LG'], limiter });
    await expect(failure).rejects.toBeInstanceOf(SourceError);
    await expect(failure).rejects.toMatchObject({
      kind: 'malformed',
      retryable: false,
      message: expect.stringContaining(`${server.baseUrl}/api/query?search_query=cat:cs.LG`),
    });
  });

  it('retries a 503 and a 429 with Retry-After through the limiter, then reads the feed', async () => {
    server.respond((_request, response, hit) => {
      if (hit === 0) response.writeHead(503).end('busy');
      else if (hit === 1) response.writeHead(429, { 'retry-after': '0' }).end('slow down');
      else response.end(twoEntries);
    });
    const batch = await fetchArxivListing({
      baseUrl: server.baseUrl,
      categories: ['cs.LG'],
      limiter,
      fetchOptions: { backoffMs: 5, maxBackoffMs: 20 },
    });
    expect(server.requests).toHaveLength(3);
    expect(batch.papers).toHaveLength(2);
  });

  it('rejects a truncated feed as malformed XML without retrying it', async () => {
    server.respond((_request, response) => response.end(twoEntries.slice(0, twoEntries.length / 2)));
    await expect(
      fetchArxivListing({ baseUrl: server.baseUrl, categories: ['cs.LG'], limiter }),
    ).rejects.toMatchObject({ kind: 'malformed', retryable: false, message: expect.stringContaining('XML') });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a body over the size limit', async () => {
    server.respond((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/atom+xml' });
      for (let i = 0; i < 4; i++) response.write(twoEntries);
      response.end();
    });
    await expect(
      fetchArxivListing({
        baseUrl: server.baseUrl,
        categories: ['cs.LG'],
        limiter,
        fetchOptions: { maxBodyBytes: twoEntries.length * 2 },
      }),
    ).rejects.toMatchObject({ kind: 'too-large', retryable: false });
  });

  it('rejects categories that would break the query', async () => {
    server.respond((_request, response) => response.end(twoEntries));
    await expect(
      fetchArxivListing({ baseUrl: server.baseUrl, categories: ['cs.LG&max_results=9999'], limiter }),
    ).rejects.toThrow(/not arXiv categories/);
    expect(server.requests).toHaveLength(0);
  });
});
