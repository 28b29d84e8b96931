import type { Branding, DigestPaper, EditionInput, PersonalLinks } from '../src/index.ts';

export const branding: Branding = {
  publicBaseUrl: 'https://paperboy.example.org',
  postalAddress: 'Paperboy Mail, Example Street 1, 10115 Berlin, Germany',
};

export const personalLinks: PersonalLinks = {
  unsubscribeUrl: 'https://paperboy.example.org/u/tok_unsub?sig=abc&v=1',
  manageUrl: 'https://paperboy.example.org/m/tok_manage?sig=def&v=1',
  viewInBrowserUrl: 'https://paperboy.example.org/e/edition123?r=tok_view&sig=ghi',
};

export function makePaper(overrides: Partial<DigestPaper> = {}): DigestPaper {
  return {
    id: '2411.00001',
    title: 'A Paper About Things',
    authors: ['Ada Lovelace', 'Alan Turing'],
    abstract: 'We study things. We find that things work. We release code. More detail follows here.',
    aiSummary: null,
    links: {
      abstract: 'https://arxiv.org/abs/2411.00001',
      pdf: 'https://arxiv.org/pdf/2411.00001',
      huggingFace: 'https://huggingface.co/papers/2411.00001',
    },
    upvotes: 12,
    comments: 3,
    githubStars: null,
    matchedTopics: [],
    ...overrides,
  };
}

/** A fixed, realistic selection: the plain-text snapshot is taken of this edition. */
export const fixedEdition: EditionInput = {
  date: '2026-11-28',
  papers: [
    makePaper({
      id: '2411.12345',
      title: 'Scaling Sparse Mixture-of-Experts Language Models Without Load-Balancing Losses',
      authors: [
        'Ashish Vaswani',
        'Noam Shazeer',
        'Niki Parmar',
        'Jakob Uszkoreit',
        'Llion Jones',
        'Aidan N. Gomez',
      ],
      abstract:
        'Mixture-of-experts (MoE) models route each token to a few experts, e.g. two of 64.\n' +
        'Load-balancing losses keep the experts busy but hurt quality. We show that a simple bias term, ' +
        'updated outside of back-propagation, balances load without any auxiliary loss. On 1.3B and 7B models ' +
        'our method matches dense baselines at 3.2x less compute. Code and checkpoints are public.',
      links: {
        abstract: 'https://arxiv.org/abs/2411.12345',
        pdf: 'https://arxiv.org/pdf/2411.12345',
        code: 'https://github.com/example/sparse-moe',
        huggingFace: 'https://huggingface.co/papers/2411.12345',
      },
      upvotes: 1234,
      comments: 56,
      githubStars: 2345,
      matchedTopics: ['mixture of experts', 'language models'],
    }),
    makePaper({
      id: '2411.23456',
      title: 'Diffusion Models Are Secretly Good Depth Estimators',
      authors: ['Jean-Baptiste Alayrac', 'Johannes van der Waals', 'Qwen Team'],
      abstract: 'Unused because an AI summary exists.',
      aiSummary:
        'The authors fine-tune a pretrained image diffusion model to predict depth from a single image, ' +
        'beating specialised estimators on five benchmarks with a fraction of the labelled data.',
      links: {
        huggingFace: 'https://huggingface.co/papers/2411.23456',
        code: 'http://github.com/example/depth',
      },
      upvotes: 1,
      comments: 0,
      githubStars: null,
      matchedTopics: ['diffusion'],
    }),
    makePaper({
      id: 'title-only-paper',
      title: 'Notes on <Attention> & "Memory" in Small Transformers',
      authors: ['Grace Hopper'],
      abstract:
        'We revisit attention in small models. Fig. 2 shows the effect. Surprisingly, memory matters more than depth. ' +
        'A fourth sentence that should not appear in the summary.',
      links: {},
      upvotes: null,
      comments: null,
      githubStars: null,
      matchedTopics: [],
    }),
  ],
};
