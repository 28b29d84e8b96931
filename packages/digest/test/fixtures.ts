import type { Branding, DigestPaper, EditionInput, PersonalLinks } from '../src/index.ts';

export const branding: Branding = {
  publicBaseUrl: 'https://paperboy.example.org',
  postalAddress: 'Paperboy Mail, Example Street 1, 10115 Berlin, Germany',
};

export const personalLinks: PersonalLinks = {
  unsubscribeUrl: 'https://paperboy.example.org/u/tok_unsub?sig=abc&v=1',
  manageUrl: 'https://paperboy.example.org/m/tok_manage?sig=def&v=1',
  viewInBrowserUrl: 'https://paperboy.example.org/e/edition123?r=tok_view&sig=ghi',
  voteUrl: (position, direction) => `https://paperboy.example.org/vote/tok_${direction}_${position}?sig=jkl`,
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

const LOREM_SENTENCES = [
  'Large language models have shown remarkable abilities across reasoning, coding and open-ended dialogue tasks.',
  'However, their behaviour under distribution shift remains poorly understood, especially for long contexts.',
  'We introduce a benchmark of 12,000 carefully curated problems spanning mathematics, science and law.',
  'Our analysis reveals that performance drops by up to 37.5% when the relevant evidence is placed mid-context.',
  'We further propose a lightweight retrieval-augmented fine-tuning recipe that closes most of this gap.',
  'Extensive experiments on seven open models, from 1B to 70B parameters, confirm the robustness of the method.',
  'Ablations show that both the curriculum and the contrastive objective are necessary for the improvement.',
  'We release the benchmark, training code and all model checkpoints to foster further research in this area.',
];

function longAbstract(seed: number): string {
  const sentences: string[] = [];
  for (let i = 0; sentences.join(' ').length < 2000; i++) {
    sentences.push(LOREM_SENTENCES[(seed + i) % LOREM_SENTENCES.length] ?? '');
  }
  return sentences.join(' ');
}

function longTitle(seed: number): string {
  const title =
    `Paper ${seed}: Towards Robust, Efficient and Interpretable Long-Context Reasoning in Large Language ` +
    'Models via Retrieval-Augmented Curriculum Fine-Tuning with Contrastive Objectives at Scale';
  return title.padEnd(200, ' and More');
}

/** The biggest digest the product sends: the size budget is checked against this. */
export function largestEdition(paperCount = 25): EditionInput {
  return {
    date: '2026-11-28',
    papers: Array.from({ length: paperCount }, (_, index) => {
      const id = `2411.${String(10000 + index)}`;
      return makePaper({
        id,
        title: longTitle(index + 1),
        authors: Array.from(
          { length: 14 },
          (_, author) => `${String.fromCharCode(65 + author)}lexandra Maria Kowalczyk-Lewandowska`,
        ),
        abstract: longAbstract(index),
        aiSummary: null,
        links: {
          abstract: `https://arxiv.org/abs/${id}`,
          pdf: `https://arxiv.org/pdf/${id}v2`,
          code: `https://github.com/some-long-organisation-name/long-context-reasoning-project-${index}`,
          huggingFace: `https://huggingface.co/papers/${id}`,
          projectPage: `https://some-long-organisation-name.github.io/long-context-reasoning-project-${index}/`,
        },
        upvotes: 12345,
        comments: 678,
        githubStars: 98765,
        matchedTopics: ['large language models', 'retrieval augmented generation', 'long context'],
      });
    }),
  };
}

/** Personal links as long as real signed tokens make them. */
export const longPersonalLinks: PersonalLinks = {
  unsubscribeUrl: `https://paperboy.example.org/u/${'a'.repeat(180)}?sig=${'b'.repeat(64)}`,
  manageUrl: `https://paperboy.example.org/m/${'c'.repeat(180)}?sig=${'d'.repeat(64)}`,
  viewInBrowserUrl: `https://paperboy.example.org/e/${'e'.repeat(32)}?r=${'f'.repeat(180)}&sig=${'g'.repeat(64)}`,
  // A vote token (purpose, reader id, version, expiry, direction and paper id, then the MAC) is ~130 characters.
  voteUrl: (position, direction) =>
    `https://paperboy.example.org/vote/${direction}${position}${'h'.repeat(125)}`,
};
