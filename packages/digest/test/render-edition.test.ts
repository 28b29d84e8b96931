import { describe, expect, it } from 'vitest';
import {
  MANAGE_URL_PLACEHOLDER,
  PERSONAL_LINK_PLACEHOLDERS,
  personalise,
  renderEdition,
  UNSUBSCRIBE_URL_PLACEHOLDER,
  VIEW_IN_BROWSER_URL_PLACEHOLDER,
} from '../src/index.ts';
import { branding, fixedEdition, makePaper, personalLinks } from './fixtures.ts';

const placeholders = Object.values(PERSONAL_LINK_PLACEHOLDERS);
/** Numeric character references back to characters: the HTML writes everything non-ASCII as one. */
const decodeNumeric = (html: string): string =>
  html.replace(/&#(\d+);/g, (_match, code: string) => String.fromCodePoint(Number(code)));
const hrefs = (html: string): string[] =>
  [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');

describe('renderEdition', () => {
  it('lays the plain-text part out for reading', async () => {
    const mail = await renderEdition(fixedEdition, branding);
    await expect(mail.text).toMatchFileSnapshot('./__snapshots__/digest-text.txt');
    expect(
      Math.max(
        ...mail.text
          .split('\n')
          .filter((line) => !line.includes('http'))
          .map((l) => l.length),
      ),
    ).toBeLessThanOrEqual(72);
  });

  it('says what is inside in the subject', async () => {
    const mail = await renderEdition(fixedEdition, branding);
    expect(mail.subject).toBe(
      '3 trending papers: Scaling Sparse Mixture-of-Experts Language Models Without…',
    );
  });

  it('shows the date, the count and every paper with its parts', async () => {
    const html = decodeNumeric((await renderEdition(fixedEdition, branding)).html);
    expect(html).toContain('Saturday, 28 November 2026');
    expect(html).toContain('3 trending papers');
    expect(html).toContain('A. Vaswani, N. Shazeer, N. Parmar, …\u00a0+3');
    expect(html).toContain('1,234 upvotes');
    expect(html).toContain('2,345 GitHub stars');
    expect(html).toContain('Matched: mixture of experts, language models');
    expect(html).toContain('>Hugging Face</a>');
    // The third paper has no links of its own: its title and its only link lead to paperboy's page of it.
    const paperPage = '<a href="https://paperboy.example.org/papers/title-only-paper"';
    expect(html).toMatch(new RegExp(`${paperPage}[^>]*>Notes on`));
    expect(html).toMatch(new RegExp(`${paperPage}[^>]*>Paper page</a>`));
  });

  it('writes the HTML in ASCII, with other characters as character references', async () => {
    const paper = makePaper({ title: 'Łukasz’s naïve 模型 study 🚀', authors: ['Łukasz Kaiser'] });
    const { html, text } = await renderEdition({ date: '2026-11-28', papers: [paper] }, branding);
    expect(html).toMatch(/^\p{ASCII}*$/u);
    expect(html).toContain('&#321;ukasz&#8217;s na&#239;ve &#27169;&#22411; study &#128640;');
    expect(text).toContain('Łukasz’s naïve 模型 study 🚀');
  });

  it('shows a paper the sources know almost nothing about without empty parts', async () => {
    const bare = makePaper({
      id: 't-0123456789abcdef',
      title: ' ',
      authors: [],
      abstract: '',
      links: {},
      upvotes: null,
      comments: null,
    });
    const mail = await renderEdition({ date: '2026-11-28', papers: [bare] }, branding);
    expect(mail.subject).toBe('1 trending paper: Untitled paper');
    expect(mail.html).not.toMatch(/<p[^>]*>\s*<\/p>/);
    // Still one way to open it: paperboy's own page of the paper.
    expect(mail.text).toContain(
      '1. Untitled paper\n\n   Paper page: https://paperboy.example.org/papers/t-0123456789abcdef\n   More like this: %%PB_VOTE_MORE_1%%\n   Less like this: %%PB_VOTE_LESS_1%%\n\n----',
    );
  });

  it('leaves out badges whose count is unknown', async () => {
    const paper = makePaper({ upvotes: 7, comments: null, githubStars: null });
    const mail = await renderEdition({ date: '2026-11-28', papers: [paper] }, branding);
    expect(mail.html).toContain('7 upvotes');
    expect(mail.html).not.toContain('comment');
    expect(mail.html).not.toContain('GitHub star');
    expect(mail.subject).toBe('1 trending paper: A Paper About Things');
  });

  it('escapes everything the reader sees', async () => {
    const paper = makePaper({
      title: 'Break <script>alert("x")</script> & "quote" \'s',
      authors: ["<b>Eve</b> O'Hacker"],
      matchedTopics: ['a&b'],
    });
    const { html, text } = await renderEdition({ date: '2026-11-28', papers: [paper] }, branding);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Eve');
    expect(html).toContain(
      'Break &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quote&quot; &#x27;s',
    );
    expect(html).toContain('Matched: a&amp;b');
    expect(text).toContain('Break <script>alert("x")</script> & "quote" \'s');
  });

  it('links only to absolute https URLs, upgrading http and dropping the rest', async () => {
    const paper = makePaper({
      links: { abstract: 'javascript:alert(1)', pdf: '/relative.pdf', code: 'http://github.com/x/y' },
    });
    const mail = personalise(
      await renderEdition({ date: '2026-11-28', papers: [paper] }, branding),
      personalLinks,
    );
    const links = hrefs(mail.html);
    expect(links).toContain('https://github.com/x/y');
    for (const href of links) expect(href).toMatch(/^https:\/\//);
    expect(mail.html).not.toContain('javascript:');
  });

  it('keeps personal links as placeholders until personalised', async () => {
    const mail = await renderEdition(fixedEdition, branding);
    for (const placeholder of placeholders) {
      expect(mail.html).toContain(placeholder);
      expect(mail.text).toContain(placeholder);
    }
  });

  it('rejects an empty edition and an impossible date', async () => {
    await expect(renderEdition({ date: '2026-11-28', papers: [] }, branding)).rejects.toThrow(RangeError);
    await expect(renderEdition({ ...fixedEdition, date: '2026-02-30' }, branding)).rejects.toThrow(
      RangeError,
    );
  });

  it('never lets paper text spell a placeholder', async () => {
    const paper = makePaper({ title: `Sneaky ${UNSUBSCRIBE_URL_PLACEHOLDER}` });
    const mail = personalise(
      await renderEdition({ date: '2026-11-28', papers: [paper] }, branding),
      personalLinks,
    );
    expect(mail.html).toContain('Sneaky %PB_UNSUBSCRIBE_URL%');
  });
});

describe('personalise', () => {
  it('fills every placeholder in both parts, HTML-escaped in the HTML', async () => {
    const mail = personalise(await renderEdition(fixedEdition, branding), personalLinks);
    for (const placeholder of placeholders) {
      expect(mail.html).not.toContain(placeholder);
      expect(mail.text).not.toContain(placeholder);
    }
    expect(mail.html).not.toContain('%%');
    expect(hrefs(mail.html)).toContain('https://paperboy.example.org/u/tok_unsub?sig&#x3D;abc&amp;v&#x3D;1');
    expect(mail.text).toContain(`Unsubscribe: ${personalLinks.unsubscribeUrl}\n`);
    expect(mail.text).toContain(`Manage preferences: ${personalLinks.manageUrl}\n`);
    expect(mail.text).toContain(`View in browser: ${personalLinks.viewInBrowserUrl}\n`);
  });

  it('takes URLs literally, even ones holding replacement patterns or quotes', async () => {
    const edition = await renderEdition(fixedEdition, branding);
    const odd = 'https://paperboy.example.org/u/$&$1?q="x"';
    const mail = personalise(edition, { ...personalLinks, unsubscribeUrl: odd });
    expect(mail.text).toContain(`Unsubscribe: ${odd}\n`);
    expect(mail.html).toContain('href="https://paperboy.example.org/u/$&amp;$1?q&#x3D;&quot;x&quot;"');
  });

  it('leaves the shared edition untouched for the next reader', async () => {
    const edition = await renderEdition(fixedEdition, branding);
    const before = edition.html;
    personalise(edition, personalLinks);
    expect(edition.html).toBe(before);
    expect(edition.html).toContain(MANAGE_URL_PLACEHOLDER);
    expect(edition.html).toContain(VIEW_IN_BROWSER_URL_PLACEHOLDER);
  });

  it('refuses links that are not absolute http(s)', async () => {
    const edition = await renderEdition(fixedEdition, branding);
    expect(() => personalise(edition, { ...personalLinks, unsubscribeUrl: '/u/relative' })).toThrow(
      RangeError,
    );
    expect(() => personalise(edition, { ...personalLinks, manageUrl: 'javascript:alert(1)' })).toThrow(
      RangeError,
    );
  });
});

/** Visible words of an HTML body: what a content filter compares with the text part. */
function htmlWords(html: string): Set<string> {
  const body = html
    .slice(html.indexOf('>', html.indexOf('<body')) + 1)
    .replace(/<div style="display:none[^>]*>[^<]*<\/div>/, '')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#x27|#x3D|#x60);/g, ' ');
  return words(decodeNumeric(body));
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

describe('the two parts of a digest', () => {
  it('carry the same words', async () => {
    const mail = personalise(await renderEdition(fixedEdition, branding), personalLinks);
    const inHtml = htmlWords(mail.html);
    // URLs are link targets in HTML but spelled out in text, so they are left out of the comparison.
    const inText = words(mail.text.replace(/https:\/\/\S+/g, ' '));
    expect([...inText].filter((word) => !inHtml.has(word))).toEqual([]);
    expect([...inHtml].filter((word) => !inText.has(word))).toEqual([]);
  });
});
