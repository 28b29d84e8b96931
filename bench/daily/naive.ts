import type { Pool } from '@paperboy/db';
import { templateSource } from '@paperboy/digest';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import nodemailer from 'nodemailer';
import type { NaiveFigures } from './figures.ts';
import type { CountingSink } from './sink-client.ts';

const IN_FLIGHT = 10;
const POOL_SIZE = 5;
const BASE = 'https://paperboy.example.org';

interface NaivePaper {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  links: Record<string, string>;
}

/** One query per reader: their topics' matches first, then the most upvoted. */
const PAPERS_SQL = `
  SELECT id, title, authors, abstract, links FROM papers
  WHERE NOT withdrawn
  ORDER BY EXISTS (SELECT 1 FROM unnest($1::text[]) AS t(topic) WHERE search @@ paperboy_topic_query(t.topic)) DESC,
           upvotes DESC NULLS LAST, id
  LIMIT $2`;

/** The digest template's view, filled the straightforward way (no shared editions, no caching). */
function naiveView(email: string, papers: NaivePaper[]) {
  const personal = (path: string) => `${BASE}/${path}/${encodeURIComponent(email)}`;
  return {
    subject: `${papers.length} trending papers: ${papers[0]?.title ?? ''}`,
    preview: papers.map((paper) => paper.title).join(' · '),
    homeUrl: BASE,
    countLabel: `${papers.length} trending papers`,
    dateLabel: new Date().toDateString(),
    papers: papers.map((paper, index) => ({
      number: index + 1,
      title: paper.title,
      titleUrl: paper.links.abstract ?? `${BASE}/papers/${paper.id}`,
      authors: paper.authors.slice(0, 5).join(', '),
      badges: [],
      summary: paper.abstract.slice(0, 400),
      links: Object.entries(paper.links).map(([label, url]) => ({ label, url })),
      matched: '',
      moreUrl: personal(`vote/${paper.id}/more`),
      lessUrl: personal(`vote/${paper.id}/less`),
    })),
    footer: {
      hasLinks: true,
      manageUrl: personal('manage'),
      unsubscribeUrl: personal('u'),
      viewInBrowserUrl: personal('view'),
      reason: 'You get this mail because you subscribed to the paperboy daily digest.',
      postalAddress: 'paperboy bench, 1 Example Street, 10115 Berlin',
    },
  };
}

/**
 * The first thing a developer would write, for the ratio: per reader, one query, the digest
 * template filled and compiled by MJML, and one nodemailer send (a pool of 5, 10 in flight).
 * No ledger, no shared editions. Runs inside the bench process, with the services stopped.
 */
export async function runNaive(pool: Pool, sink: CountingSink, readers: number): Promise<NaiveFigures> {
  const { rows } = await pool.query<{ email: string; topics: string[]; paper_count: number }>(
    'SELECT email, topics, paper_count FROM subscribers ORDER BY email LIMIT $1',
    [readers],
  );
  const fill = Handlebars.create().compile(templateSource('digest'));
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: POOL_SIZE,
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    ignoreTLS: true,
  });
  const before = await sink.counts();
  const start = performance.now();
  let next = 0;
  const sendOne = async (reader: (typeof rows)[number]) => {
    const papers = await pool.query<NaivePaper>(PAPERS_SQL, [reader.topics, reader.paper_count]);
    const view = naiveView(reader.email, papers.rows);
    const { html } = await mjml2html(fill(view), { fonts: {} });
    await transport.sendMail({
      from: 'paperboy <digest@paperboy.example.org>',
      to: reader.email,
      subject: view.subject,
      html,
      text: view.papers.map((paper) => `${paper.number}. ${paper.title}\n${paper.titleUrl}`).join('\n\n'),
      headers: { 'List-Unsubscribe': `<${view.footer.unsubscribeUrl}>` },
    });
  };
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < rows.length) await sendOne(rows[next++]!);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  transport.close();
  const after = await sink.counts();
  return {
    readers: rows.length,
    seconds,
    digestsPerSecond: rows.length / seconds,
    bytesPerMessage: (after.bytes - before.bytes) / Math.max(1, after.messages - before.messages),
  };
}
