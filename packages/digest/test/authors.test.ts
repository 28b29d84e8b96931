import { describe, expect, it } from 'vitest';
import { shortenAuthors, shortenName } from '../src/index.ts';

describe('shortenName', () => {
  it.each([
    ['Ashish Vaswani', 'A. Vaswani'],
    ['Aidan N. Gomez', 'A. N. Gomez'],
    ['Jean-Baptiste Alayrac', 'J.-B. Alayrac'],
    ['Johannes van der Waals', 'J. van der Waals'],
    ['Vaswani, Ashish', 'A. Vaswani'],
    ['Martin Luther King Jr.', 'M. L. King Jr.'],
    ['Łukasz Kaiser', 'Ł. Kaiser'],
    ['Qwen Team', 'Qwen Team'],
    ['DeepSeek-AI', 'DeepSeek-AI'],
    ['Plato', 'Plato'],
    ['  Grace\n  Hopper ', 'G. Hopper'],
  ])('%s -> %s', (name, short) => {
    expect(shortenName(name)).toBe(short);
  });
});

describe('shortenAuthors', () => {
  const names = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'];

  it('shows three names then how many more', () => {
    expect(shortenAuthors(names)).toBe('A. Lovelace, A. Turing, G. Hopper, …\u00a0+2');
  });

  it('shows a fourth name rather than "+1"', () => {
    expect(shortenAuthors(names.slice(0, 4))).toBe('A. Lovelace, A. Turing, G. Hopper, E. Dijkstra');
  });

  it('is empty without authors and skips blank names', () => {
    expect(shortenAuthors([])).toBe('');
    expect(shortenAuthors([' ', 'Ada Lovelace'])).toBe('A. Lovelace');
  });
});
