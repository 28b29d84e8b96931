import { upsertPapers } from '@paperboy/db';
import { arxivLinks, previousUtcDate, utcDate } from '@paperboy/papers';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';
import { storePaper } from './support/papers.ts';

let api: TestApi;
const today = utcDate(new Date());
const yesterday = previousUtcDate(new Date());
const BASE = 'https://paperboy.test';

type Xml = Record<string, unknown>;
const asList = (value: unknown): Xml[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Xml[];

/** Strict XML, then what RFC 4287 requires of an Atom feed and of each of its entries. */
function checkAtom(body: string): { feed: Xml; entries: Xml[] } {
  expect(XMLValidator.validate(body)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(body) as Xml;
  const feed = parsed.feed as Xml;
  expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
  expect(String(feed.id)).toMatch(/^(https?|urn):/);
  expect(String(feed.title).length).toBeGreaterThan(0);
  expect(String(feed.updated)).toMatch(iso);
  expect((feed.author as Xml).name).toBe('paperboy');
  expect(asList(feed.link).some((link) => link['@_rel'] === 'self')).toBe(true);
  const entries = asList(feed.entry);
  for (const entry of entries) {
    expect(String(entry.id)).toMatch(/^(https?|urn):/);
    expect(String(entry.title).length).toBeGreaterThan(0);
    expect(String(entry.updated)).toMatch(iso);
    expect(String((entry.link as Xml)['@_href'])).toMatch(/^https:\/\//);
    expect((entry.content as Xml)['@_type']).toBe('html');
  }
  expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
  return { feed, entries };
}

beforeAll(async () => {
  api = await startTestApi('feeds');
  await upsertPapers(api.pool, [
    storePaper({
      id: '2511.10001',
      arxivId: '2511.10001',
      title: 'Today’s Best: <Sparse> & "Dense" Attention',
      authors: ['Ada Lovelace'],
      links: arxivLinks('2511.10001'),
      upvotes: 90,
      trendingDate: today,
      sources: ['huggingface'],
    }),
    storePaper({ id: '2511.10002', title: 'Today’s Second', upvotes: 10, trendingDate: today }),
    storePaper({
      id: 't-00000000000000bb',
      title: 'Yesterday, No Links',
      upvotes: 3,
      trendingDate: yesterday,
    }),
    storePaper({ id: '2401.00009', title: 'Too Old For The Feed', upvotes: 999, trendingDate: '2024-01-02' }),
  ]);
});
afterAll(async () => {
  await api?.close();
});

describe('public daily feeds', () => {
  it('serves each day’s top papers as valid Atom, read the same by a feed parser', async () => {
    const response = await api.app.inject({ url: '/feeds/daily.atom' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const { entries } = checkAtom(response.body);
    expect(entries.map((entry) => entry.title)).toEqual([
      'Today’s Best: <Sparse> & "Dense" Attention',
      'Today’s Second',
      'Yesterday, No Links',
    ]);
    const parsed = parseFeed(response.body);
    expect(parsed.title).toBe('paperboy: trending research papers');
    expect(parsed.items.map((item) => item.url)).toEqual([
      'https://arxiv.org/abs/2511.10001',
      'https://arxiv.org/abs/2511.10002',
      `${BASE}/papers/t-00000000000000bb`,
    ]);
    expect(parsed.items[0]?.id).toBe(`${BASE}/papers/2511.10001`);
    expect(parsed.items[0]?.content).toContain('https://arxiv.org/pdf/2511.10001');
  });

  it('serves the same papers as JSON Feed 1.1 with its required fields', async () => {
    const response = await api.app.inject({ url: '/feeds/daily.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    const feed = response.json();
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(typeof feed.title).toBe('string');
    expect(feed.feed_url).toBe(`${BASE}/feeds/daily.json`);
    expect(feed.home_page_url).toBe(`${BASE}/`);
    expect(feed.items).toHaveLength(3);
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(typeof item.content_html === 'string' || typeof item.content_text === 'string').toBe(true);
      expect(new Date(item.date_published).toISOString()).toBe(item.date_published);
    }
    expect(feed.items[2].url).toBe(`${BASE}/papers/t-00000000000000bb`);
  });

  for (const url of ['/feeds/daily.atom', '/feeds/daily.json']) {
    it(`lets readers revalidate ${url}: ETag, Last-Modified, and 304 when nothing changed`, async () => {
      const first = await api.app.inject({ url });
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
      expect(Date.parse(String(first.headers['last-modified']))).not.toBeNaN();
      expect(first.headers['cache-control']).toContain('public');
      const again = await api.app.inject({ url, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const byDate = await api.app.inject({
        url,
        headers: { 'if-modified-since': String(first.headers['last-modified']) },
      });
      expect(byDate.statusCode).toBe(304);
      const stale = await api.app.inject({ url, headers: { 'if-none-match': '"something-else"' } });
      expect(stale.statusCode).toBe(200);
    });
  }
});

describe('a reader’s personal feed', () => {
  async function sendDigest(readerId: string, day: string, paperIds: string[]): Promise<string> {
    const editionId = `e${day.replaceAll('-', '')}${readerId.slice(0, 8)}`;
    await api.pool.query(
      `INSERT INTO digest_editions (id, edition_date, template_version, subject, html, text, paper_ids)
       VALUES ($1, $2, 'v', $3, '<p>x</p>', 'x', $4)`,
      [editionId, day, `${paperIds.length} trending papers of ${day}`, paperIds],
    );
    const { rows } = await api.pool.query<{ id: string }>(
      `INSERT INTO deliveries (subscriber_id, local_date, status, edition_id, sent_at)
       VALUES ($1, $2, 'sent', $3, $2::date + time '08:00') RETURNING id`,
      [readerId, day, editionId],
    );
    await api.pool.query(
      `INSERT INTO delivery_papers (delivery_id, subscriber_id, paper_id, position)
       SELECT $1, $2, paper_id, position FROM unnest($3::text[]) WITH ORDINALITY AS p(paper_id, position)`,
      [rows[0]!.id, readerId, paperIds],
    );
    return editionId;
  }

  const feedLinkOn = (page: string) => {
    const match = /id="feed-link" value="([^"]+)"/.exec(page);
    if (!match) throw new Error('no feed link on the preference centre');
    return match[1]!.replace(BASE, '');
  };

  it('lists the reader’s own digests, is shown in the preference centre, and dies with "new feed link" and "sign out all links"', async () => {
    const reader = await api.seed('feed.reader@example.org', 'active');
    const other = await api.seed('someone.else@example.org', 'active');
    const edition = await sendDigest(reader.id, yesterday, ['2511.10001', 't-00000000000000bb']);
    await sendDigest(other.id, yesterday, ['2511.10002']);
    const manage = `/manage/${api.token(reader, 'manage')}`;

    const feedPath = feedLinkOn((await api.app.inject({ url: manage })).body);
    expect(feedPath).toMatch(/^\/feeds\/reader\//);
    const response = await api.app.inject({ url: feedPath });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-cache');
    const { entries } = checkAtom(response.body);
    expect(entries).toHaveLength(1);
    expect((entries[0]!.link as Xml)['@_href']).toBe(`${BASE}/digests/${edition}`);
    const content = String((entries[0]!.content as Xml)['#text']);
    expect(content).toContain('https://arxiv.org/abs/2511.10001');
    expect(content).toContain(`${BASE}/papers/t-00000000000000bb`);
    expect(response.body).not.toContain('feed.reader@example.org');
    expect(response.body).not.toContain('Today’s Second');
    const etag = String(response.headers.etag);
    expect((await api.app.inject({ url: feedPath, headers: { 'if-none-match': etag } })).statusCode).toBe(
      304,
    );

    // The feed token is a feed token only: it opens no preference centre.
    expect((await api.app.inject({ url: `/manage/${feedPath.split('/').pop()}` })).statusCode).toBe(400);

    const renewed = await api.app.inject({ method: 'POST', url: `${manage}/feed` });
    expect(renewed.statusCode).toBe(303);
    const withNotice = await api.app.inject({ url: String(renewed.headers.location).replace('#feed', '') });
    expect(withNotice.body).toContain('New feed link made');
    const newPath = feedLinkOn(withNotice.body);
    expect(newPath).not.toBe(feedPath);
    expect((await api.app.inject({ url: feedPath })).statusCode).toBe(404);
    expect((await api.app.inject({ url: newPath })).statusCode).toBe(200);
    // The manage link still works: only the feed link was replaced.
    expect((await api.app.inject({ url: manage })).statusCode).toBe(200);

    await api.app.inject({ method: 'POST', url: `${manage}/revoke` });
    const dead = await api.app.inject({ url: newPath });
    expect(dead.statusCode).toBe(404);
    expect(dead.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers a forged or malformed feed token with the same 404', async () => {
    const reader = await api.seed('forged.feed@example.org', 'active');
    const forged = api.token(reader, 'feed').replace(/.$/, (char) => (char === 'A' ? 'B' : 'A'));
    for (const token of [forged, 'nonsense', api.token(reader, 'manage')]) {
      const response = await api.app.inject({ url: `/feeds/reader/${token}` });
      expect(response.statusCode).toBe(404);
    }
  });
});
