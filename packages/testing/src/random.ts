/**
 * mulberry32: a tiny seeded PRNG, so a run (a fuzz test, a test's generated world, the bench's
 * readers) can be replayed exactly.
 */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const text = (
    length: number,
    alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.',
  ) => Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');
  return { next, int, pick, text, chance: (p: number) => next() < p };
}

export type Random = ReturnType<typeof seededRandom>;
