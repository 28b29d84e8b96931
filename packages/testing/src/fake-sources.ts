import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One local HTTP server that answers like Hugging Face's daily papers API and the arXiv API, so
 * ingest runs end to end (HF_API_URL / ARXIV_API_URL point here) without touching the network.
 */
export interface FakeSources {
  baseUrl: string;
  /** Path and query of every request, in arrival order. */
  requests: string[];
  /** A day's items in Hugging Face's wire format; pages are cut from them as `limit` and `p` ask. */
  setDay(date: string, items: unknown[]): void;
  /** From this page on (0-based), every daily-papers request answers `status`; null heals the source. */
  failFromPage(page: number | null, status?: number): void;
  /** The Atom document /api/query answers. */
  setArxivFeed(xml: string): void;
  close(): Promise<void>;
}

export async function startFakeSources(): Promise<FakeSources> {
  const days = new Map<string, unknown[]>();
  let failure: { page: number; status: number } | null = null;
  let arxivFeed = '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>';
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://fake');
    if (url.pathname === '/api/daily_papers') {
      const page = Number(url.searchParams.get('p') ?? '0');
      if (failure && page >= failure.page) {
        response.writeHead(failure.status, { 'content-type': 'text/plain' }).end('the fake source is down');
        return;
      }
      const limit = Number(url.searchParams.get('limit') ?? '50');
      const items = days.get(url.searchParams.get('date') ?? '') ?? [];
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(items.slice(page * limit, (page + 1) * limit)));
      return;
    }
    if (url.pathname === '/api/query') {
      response.writeHead(200, { 'content-type': 'application/atom+xml' }).end(arxivFeed);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    setDay: (date, items) => days.set(date, items),
    failFromPage(page, status = 500) {
      failure = page === null ? null : { page, status };
    },
    setArxivFeed(xml) {
      arxivFeed = xml;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** One /api/daily_papers item as Hugging Face sends it (upvotes under `paper`, comments on top). */
export function hfWireItem(
  id: string,
  options: {
    upvotes?: number;
    comments?: number;
    title?: string;
    summary?: string;
    withdrawn?: boolean;
  } = {},
): unknown {
  const title = options.title ?? `Paper ${id}`;
  const summary = options.summary ?? `The abstract of paper ${id},\nwrapped the way arXiv wraps it.`;
  return {
    paper: {
      id,
      authors: [{ _id: `a-${id}`, name: 'Ada Lovelace', hidden: false }],
      publishedAt: '2025-09-05T10:00:00.000Z',
      title,
      summary,
      upvotes: options.upvotes ?? 1,
      ...(options.withdrawn ? { withdrawnAt: '2025-09-07T12:00:00.000Z' } : {}),
    },
    publishedAt: '2025-09-05T10:00:00.000Z',
    title,
    summary,
    numComments: options.comments ?? 0,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png`,
  };
}
