import type { DigestPaper } from '@paperboy/digest';
import { editionKey, personalise, renderEdition, templateSource } from '@paperboy/digest';
import { editionVoteUrls } from '@paperboy/links';
import mjml2html from 'mjml';
import { line, msPerCall } from './report.ts';

const branding = {
  publicBaseUrl: 'https://paperboy.example.org',
  postalAddress: 'paperboy, 1 Example Street',
};

function paper(index: number): DigestPaper {
  return {
    id: `2511.${String(10000 + index)}`,
    title: `A study of trending research number ${index} with a reasonably long title about models`,
    authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'],
    abstract: 'We propose a method. '.repeat(40),
    aiSummary: null,
    links: {
      abstract: `https://arxiv.org/abs/2511.${10000 + index}`,
      pdf: `https://arxiv.org/pdf/2511.${10000 + index}`,
    },
    upvotes: 100 - index,
    comments: 3,
    githubStars: 250,
    matchedTopics: index % 2 === 0 ? ['diffusion'] : [],
  };
}

export async function benchRendering(): Promise<void> {
  console.log('\nrendering (one 10-paper digest)');
  const input = { date: '2026-11-30', papers: Array.from({ length: 10 }, (_, index) => paper(index)) };
  const source = templateSource('digest');
  const mjmlMs = await msPerCall(() => mjml2html(source, { validationLevel: 'skip' }), 20, 2);
  let day = 0;
  // A new date each call makes every render a real fill, never a cached result.
  const fillMs = await msPerCall(
    () => renderEdition({ ...input, date: `2026-11-${String((day++ % 28) + 1).padStart(2, '0')}` }, branding),
    200,
  );
  const edition = await renderEdition(input, branding);
  const fixedLinks = {
    unsubscribeUrl: 'https://paperboy.example.org/u/token-token-token',
    manageUrl: 'https://paperboy.example.org/manage/token-token-token',
    viewInBrowserUrl: 'https://paperboy.example.org/digests/abc',
  };
  // A real signed vote token per call, one per reader and edition, as the mailer writes them.
  const personaliseMs = await msPerCall(
    () =>
      personalise(edition, {
        ...fixedLinks,
        voteUrl: editionVoteUrls(
          {
            publicBaseUrl: 'https://paperboy.example.org',
            tokenSecret: 'bench-secret-bench-secret-bench-secret',
          },
          { id: '6f1c1f4e-8d0e-4b8a-9a3c-2f0d5b1e7c11', tokenVersion: 1 },
          'bench-edition',
        ),
      }),
    2000,
  );
  const keyMs = await msPerCall(() => editionKey(input), 2000);
  line('MJML compile of the digest template (once per version)', `${mjmlMs.toFixed(2)} ms`);
  line('renderEdition: fill the compiled template (once per edition)', `${fillMs.toFixed(3)} ms`);
  line('personalise: a reader’s links (once per reader)', `${personaliseMs.toFixed(4)} ms`);
  line('editionKey (once per reader)', `${keyMs.toFixed(4)} ms`);
  line('HTML size', `${(Buffer.byteLength(edition.html) / 1024).toFixed(1)} KB`);
  line(
    'ratio: MJML per reader / edition-sharing per reader',
    `${(mjmlMs / (personaliseMs + keyMs)).toFixed(0)}x`,
  );
}
