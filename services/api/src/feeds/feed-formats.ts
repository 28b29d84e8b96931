import { XMLBuilder } from 'fast-xml-parser';
import { type Static, Type } from 'typebox';

/** A feed as paperboy builds it, before it is written as Atom or JSON Feed. */
export interface FeedDocument {
  /** A permanent IRI (RFC 4287 §4.2.6), also the JSON Feed's identity. */
  id: string;
  title: string;
  description: string;
  homeUrl: string;
  atomUrl: string;
  jsonUrl: string | null;
  /** The newest change of any entry: what Last-Modified and Atom's feed <updated> say. */
  updated: Date;
  entries: FeedEntry[];
}

export interface FeedEntry {
  id: string;
  title: string;
  url: string;
  updated: Date;
  published: Date;
  authors: string[];
  summary: string;
  contentHtml: string;
  tags: string[];
}

const PUBLISHER = { name: 'paperboy' };

// fast-xml-parser escapes &, <, >, quotes in text and attributes (processEntities), so paper text
// can never break the XML.
const atomBuilder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  processEntities: true,
  suppressEmptyNode: true,
});

/** Atom 1.0 (RFC 4287): feed id, title, updated, author and self link; per entry id, title, updated, link. */
export function atomFeed(feed: FeedDocument): string {
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      id: feed.id,
      title: feed.title,
      subtitle: feed.description,
      updated: feed.updated.toISOString(),
      author: { name: PUBLISHER.name, uri: feed.homeUrl },
      link: [
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': feed.atomUrl },
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': feed.homeUrl },
        ...(feed.jsonUrl
          ? [{ '@_rel': 'alternate', '@_type': 'application/feed+json', '@_href': feed.jsonUrl }]
          : []),
      ],
      generator: 'paperboy',
      entry: feed.entries.map((entry) => ({
        id: entry.id,
        title: entry.title,
        updated: entry.updated.toISOString(),
        published: entry.published.toISOString(),
        link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': entry.url },
        author: entry.authors.map((name) => ({ name })),
        category: entry.tags.map((term) => ({ '@_term': term })),
        summary: entry.summary ? { '@_type': 'text', '#text': entry.summary } : undefined,
        content: { '@_type': 'html', '#text': entry.contentHtml },
      })),
    },
  };
  return atomBuilder.build(document) as string;
}

const Author = Type.Object({ name: Type.String(), url: Type.Optional(Type.String()) });

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the fields paperboy writes. */
export const JsonFeedSchema = Type.Object({
  version: Type.Literal('https://jsonfeed.org/version/1.1'),
  title: Type.String(),
  home_page_url: Type.String(),
  feed_url: Type.String(),
  description: Type.String(),
  language: Type.String(),
  authors: Type.Array(Author),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      url: Type.String(),
      title: Type.String(),
      summary: Type.Optional(Type.String()),
      content_html: Type.String(),
      date_published: Type.String({ format: 'date-time' }),
      date_modified: Type.String({ format: 'date-time' }),
      authors: Type.Optional(Type.Array(Author)),
      tags: Type.Array(Type.String()),
    }),
  ),
});

export function jsonFeed(feed: FeedDocument): Static<typeof JsonFeedSchema> {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.jsonUrl ?? feed.atomUrl,
    description: feed.description,
    language: 'en',
    authors: [{ name: PUBLISHER.name, url: feed.homeUrl }],
    items: feed.entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      ...(entry.summary ? { summary: entry.summary } : {}),
      content_html: entry.contentHtml,
      date_published: entry.published.toISOString(),
      date_modified: entry.updated.toISOString(),
      ...(entry.authors.length > 0 ? { authors: entry.authors.map((name) => ({ name })) } : {}),
      tags: entry.tags,
    })),
  };
}
