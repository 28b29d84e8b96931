import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../src/group-commit.ts';

/** A group commit whose flushes wait until the test lets them finish. */
function controlled(options: { maxBatch?: number; maxInFlight?: number } = {}) {
  const flushes: { items: number[]; finish(): void; fail(error: Error): void }[] = [];
  const submit = createGroupCommit<number, string>({
    maxBatch: options.maxBatch ?? 100,
    maxInFlight: options.maxInFlight ?? 1,
    flush: (items) =>
      new Promise((resolve, reject) => {
        flushes.push({ items, finish: () => resolve(items.map((item) => `done ${item}`)), fail: reject });
      }),
  });
  return { submit, flushes };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes what arrives in one turn together, and what arrives during a flush in the next', async () => {
    const { submit, flushes } = controlled();
    const first = [submit(1), submit(2), submit(3)];
    await turn();
    const second = [submit(4), submit(5)];
    await turn();
    expect(flushes.map((flush) => flush.items)).toEqual([[1, 2, 3]]);
    flushes[0]!.finish();
    expect(await Promise.all(first)).toEqual(['done 1', 'done 2', 'done 3']);
    await turn();
    expect(flushes.map((flush) => flush.items)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    flushes[1]!.finish();
    expect(await Promise.all(second)).toEqual(['done 4', 'done 5']);
  });

  it('never puts more than maxBatch items in one flush, and runs up to maxInFlight at once', async () => {
    const { submit, flushes } = controlled({ maxBatch: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5].map((item) => submit(item));
    await turn();
    expect(flushes.map((flush) => flush.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    flushes[0]!.finish();
    flushes[1]!.finish();
    await Promise.all(all.slice(0, 4));
    await turn();
    expect(flushes.map((flush) => flush.items)).toEqual([[1, 2], [3, 4], [5]]);
    flushes[2]!.finish();
    expect(await all[4]).toBe('done 5');
  });

  it('rejects every caller of a failed flush with its error, and only those', async () => {
    const { submit, flushes } = controlled();
    const failing = [submit(1), submit(2)].map((promise) => promise.catch((error: Error) => error.message));
    await turn();
    const later = submit(3);
    flushes[0]!.fail(new Error('database gone'));
    expect(await Promise.all(failing)).toEqual(['database gone', 'database gone']);
    await turn();
    flushes[1]!.finish();
    expect(await later).toBe('done 3');
  });
});
