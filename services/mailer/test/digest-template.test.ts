import type { Edition } from '@paperboy/db';
import {
  type DigestPaper,
  LinkValues,
  type PersonalLinks,
  personalise,
  renderEdition,
} from '@paperboy/digest';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildDigestTemplate, fillDigestTemplate } from '../src/digest-template.ts';

const identity = {
  from: 'Paperboy Digest <digest@paperboy.example>',
  listId: 'paperboy daily digest <digest.paperboy.example>',
};

const links: PersonalLinks = {
  unsubscribeUrl: 'https://paperboy.example/u/tok_unsub.abc=?sig=a&b=c',
  manageUrl: 'https://paperboy.example/m/tok_manage.def',
  viewInBrowserUrl: 'https://paperboy.example/digests/ed1',
  voteUrl: (position, direction) =>
    `https://paperboy.example/v/${direction}-${position}.${'t'.repeat(90)}?x=1&y=${position}`,
};

function paper(index: number, overrides: Partial<DigestPaper> = {}): DigestPaper {
  return {
    id: `2611.0000${index}`,
    title: `Paper ${index}: Über-efficient Transformers — a study of “attention” 注意力`,
    authors: ['Zoë Ångström', 'Łukasz Kaiser', 'José Núñez'],
    abstract: `We study things = other things. Line one.\nLine two with a trailing space \n${'word '.repeat(30)}`,
    aiSummary: null,
    links: {
      abstract: `https://arxiv.org/abs/2611.0000${index}`,
      pdf: `https://arxiv.org/pdf/2611.0000${index}`,
    },
    upvotes: 100 - index,
    comments: index,
    githubStars: null,
    matchedTopics: index % 2 ? ['transformers'] : [],
    ...overrides,
  };
}

async function edition(papers: DigestPaper[]): Promise<Edition> {
  const mail = await renderEdition(
    { date: '2026-12-02', papers },
    { publicBaseUrl: 'https://paperboy.example', postalAddress: 'Example Street 1, Berlin' },
  );
  return {
    id: 'e'.repeat(40),
    editionDate: '2026-12-02',
    templateVersion: 'test',
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    paperIds: papers.map((entry) => entry.id),
  };
}

async function fillAndParse(stored: Edition) {
  const template = buildDigestTemplate(stored, identity);
  const bytes = Buffer.concat(
    fillDigestTemplate(template, {
      to: 'reader@example.org',
      date: 'Wed, 02 Dec 2026 07:00:00 +0000',
      messageId: '<d1.digest@paperboy.example>',
      links: new LinkValues(links),
    }) ?? [],
  );
  return { raw: bytes.toString('utf8'), bytes, parsed: await simpleParser(bytes) };
}

const lf = (value: string) => value.replace(/\r\n/g, '\n');

describe('a digest written from its edition template', () => {
  it('decodes to exactly the personalised edition, both parts, with every header', async () => {
    const stored = await edition([1, 2, 3, 4, 5, 6, 7].map((index) => paper(index)));
    const expected = personalise(stored, links);
    const { raw, parsed } = await fillAndParse(stored);

    expect(lf(parsed.html || '')).toBe(lf(expected.html));
    expect(lf(parsed.text ?? '').trimEnd()).toBe(lf(expected.text).trimEnd());
    expect(parsed.subject).toBe(stored.subject);
    expect(parsed.messageId).toBe('<d1.digest@paperboy.example>');
    expect(parsed.from?.value[0]).toMatchObject({
      address: 'digest@paperboy.example',
      name: 'Paperboy Digest',
    });
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value[0]?.address).toBe('reader@example.org');
    const header = (key: string) => parsed.headerLines.find((line) => line.key === key)?.line;
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${links.unsubscribeUrl}>`);
    expect(header('list-id')).toBe(`List-ID: ${identity.listId}`);
    expect(parsed.date?.toISOString()).toBe('2026-12-02T07:00:00.000Z');

    // Every link of both parts is the reader's own, none left as a placeholder.
    expect(raw).not.toContain('%%PB_');
    expect(parsed.html).toContain(
      `href="${links.voteUrl(7, 'less').replace(/&/g, '&amp;').replace(/=/g, '&#x3D;')}"`,
    );
    expect(parsed.text).toContain(links.voteUrl(3, 'more'));
  });

  it('keeps every line within SMTP limits: HTML as 7bit ASCII, text as 8bit UTF-8, no line over 998 bytes', async () => {
    const { raw, bytes } = await fillAndParse(await edition([1, 2, 3].map((index) => paper(index))));
    expect(raw).not.toMatch(/[^\r]\n/);
    const lines = bytes.toString('latin1').split('\r\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(998);
    const html = raw.slice(raw.indexOf('Content-Type: text/html'));
    expect(html).toContain('Content-Transfer-Encoding: 7bit');
    expect(/[^\p{ASCII}]/u.test(html)).toBe(false);
    const text = raw.slice(raw.indexOf('Content-Type: text/plain'), raw.indexOf('Content-Type: text/html'));
    expect(text).toContain('Content-Transfer-Encoding: 8bit');
    expect(text).toContain('Über-efficient Transformers — a study of “attention” 注意力');
  });

  it('leaves a reader whose links would make a line too long to nodemailer', async () => {
    const stored = await edition([paper(1)]);
    const template = buildDigestTemplate(stored, identity);
    const values = (url: string) => ({
      to: 'reader@example.org',
      date: 'Wed, 02 Dec 2026 07:00:00 +0000',
      messageId: '<d1.digest@paperboy.example>',
      links: new LinkValues({ ...links, manageUrl: url }),
    });
    expect(fillDigestTemplate(template, values('https://paperboy.example/m/short'))).not.toBeNull();
    const long = fillDigestTemplate(template, values(`https://paperboy.example/m/${'x'.repeat(990)}`));
    expect(long).toBeNull();
  });

  it('measures a text line in bytes: 332 three-byte characters or 500 ASCII go as 8bit, 400 three-byte as quoted-printable', async () => {
    const stored = await edition([paper(1)]);
    const withLine = (characters: number) => ({
      ...stored,
      text: `${stored.text}\n${'注'.repeat(characters)}\n`,
    });
    const fits = await fillAndParse(withLine(332));
    expect(fits.raw).toContain('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit');
    // Longer in characters than the quick bound allows, yet 500 bytes: measured, and it fits.
    const asciiLine = await fillAndParse({ ...stored, text: `${stored.text}\n${'a'.repeat(500)}\n` });
    expect(asciiLine.raw).toContain(
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit',
    );
    const tooLong = await fillAndParse(withLine(400));
    expect(tooLong.raw).toContain(
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable',
    );
    expect(lf(tooLong.parsed.text || '')).toContain('注'.repeat(400));
    expect(
      Math.max(
        ...tooLong.bytes
          .toString('latin1')
          .split('\r\n')
          .map((line) => line.length),
      ),
    ).toBeLessThanOrEqual(998);
  });

  it('falls back to quoted-printable HTML when a line would be too long for 7bit', async () => {
    const stored = await edition([paper(1)]);
    const longLine = { ...stored, html: stored.html.replace('<body', `<body data-x="${'y'.repeat(1200)}"`) };
    const { raw, parsed } = await fillAndParse(longLine);
    expect(raw).toContain('Content-Transfer-Encoding: quoted-printable\r\n\r\n<!doctype');
    expect(lf(parsed.html || '')).toBe(lf(personalise(longLine, links).html));
    expect(Math.max(...raw.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(998);
  });
});
