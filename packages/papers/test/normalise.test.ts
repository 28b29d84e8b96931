import { describe, expect, it } from 'vitest';
import {
  arxivLinks,
  normaliseAbstract,
  normaliseGithubRepo,
  normaliseTitle,
  parseArxivId,
  stripArxivVersion,
  titleId,
} from '../src/index.ts';

describe('arXiv ids', () => {
  it.each([
    ['2509.04664v2', '2509.04664'],
    ['2509.04664', '2509.04664'],
    ['0704.0001v1', '0704.0001'],
    ['hep-th/9901001v1', 'hep-th/9901001'],
    ['math.GT/0309136v3', 'math.GT/0309136'],
    ['arXiv:2509.04664v12', '2509.04664'],
    ['http://arxiv.org/abs/2509.04664v2', '2509.04664'],
    ['https://arxiv.org/pdf/2509.04664v1.pdf', '2509.04664'],
  ])('%s -> %s', (input, expected) => {
    expect(parseArxivId(input)).toBe(expected);
    expect(stripArxivVersion(input)).toBe(expected);
  });

  it('returns null for things that are not arXiv ids', () => {
    expect(parseArxivId('not-an-id')).toBeNull();
    expect(parseArxivId('2509.123')).toBeNull();
    expect(stripArxivVersion(' custom-id ')).toBe('custom-id');
  });

  it('derives the three links from the bare id', () => {
    expect(arxivLinks('2509.04664')).toEqual({
      abstract: 'https://arxiv.org/abs/2509.04664',
      pdf: 'https://arxiv.org/pdf/2509.04664',
      huggingFace: 'https://huggingface.co/papers/2509.04664',
    });
  });
});

describe('GitHub repositories', () => {
  it.each([
    'https://github.com/owner/repo',
    'http://github.com/owner/repo/',
    'github.com/owner/repo',
    'owner/repo',
    'https://github.com/owner/repo.git',
    'https://www.github.com/owner/repo/tree/main/src',
    'https://github.com/owner/repo.',
    'git@github.com:owner/repo.git',
  ])('%s names https://github.com/owner/repo', (input) => {
    expect(normaliseGithubRepo(input)).toBe('https://github.com/owner/repo');
  });

  it.each([
    'https://gitlab.com/owner/repo',
    'https://github.com/owner',
    'example.com/page',
    'just words',
    '',
  ])('%j is not a repository', (input) => {
    expect(normaliseGithubRepo(input)).toBeNull();
  });
});

describe('text', () => {
  it('unwraps titles into one line', () => {
    expect(normaliseTitle('  Why Language Models\n   Hallucinate\t ')).toBe(
      'Why Language Models Hallucinate',
    );
  });

  it('unwraps abstracts but keeps blank-line paragraph breaks', () => {
    expect(normaliseAbstract('One\nsentence   here.\n\n  Second\r\nparagraph.\n')).toBe(
      'One sentence here.\n\nSecond paragraph.',
    );
  });

  it('gives the same title id whatever the wrapping or case', () => {
    expect(titleId('Why Language Models\nHallucinate')).toBe(titleId('why language models   hallucinate '));
    expect(titleId('Why Language Models Hallucinate')).not.toBe(
      titleId('Why Language Models Hallucinate Less'),
    );
    expect(titleId('x')).toMatch(/^t-[0-9a-f]{16}$/);
  });
});

describe('GitHub links cut out of LaTeX abstracts', () => {
  it('drops \\href residue after the repository name', () => {
    expect(normaliseGithubRepo('https://github.com/kleinzcy/Cr-KD-NCD{here}')).toBe(
      'https://github.com/kleinzcy/Cr-KD-NCD',
    );
    expect(
      normaliseGithubRepo('https://github.com/xuke225/EQ-Net.git{https://github.com/xuke225/EQ-Net}'),
    ).toBe('https://github.com/xuke225/EQ-Net');
  });
});
