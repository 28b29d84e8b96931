/**
 * Group commit: work handed in while the event loop is busy (or while earlier batches are still
 * being written) is written together, one flush for many callers, and each caller's promise
 * settles when the flush that carried its item has finished. A failed flush rejects every caller
 * in it with the same error; a flush must therefore be all-or-nothing for the callers to retry.
 */
export interface GroupCommitOptions<T, R> {
  /** Writes a batch; resolves with one result per item, in order. */
  flush(items: T[]): Promise<R[]>;
  /** The most items one flush carries. */
  maxBatch: number;
  /** Flushes running at once: a second one can write while the first waits on I/O. */
  maxInFlight: number;
  /** Hears each flush's size (metrics). */
  onFlush?(size: number): void;
}

interface Waiter<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export type GroupCommit<T, R> = (item: T) => Promise<R>;

export function createGroupCommit<T, R>(options: GroupCommitOptions<T, R>): GroupCommit<T, R> {
  let waiting: Waiter<T, R>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flushBatch = async (batch: Waiter<T, R>[]) => {
    options.onFlush?.(batch.length);
    try {
      const results = await options.flush(batch.map((waiter) => waiter.item));
      if (results.length !== batch.length)
        throw new Error(`a flush of ${batch.length} items returned ${results.length} results`);
      for (const [index, waiter] of batch.entries()) waiter.resolve(results[index]!);
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  };

  const run = () => {
    scheduled = false;
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.length <= options.maxBatch ? waiting : waiting.slice(0, options.maxBatch);
      waiting = waiting.length <= options.maxBatch ? [] : waiting.slice(options.maxBatch);
      inFlight += 1;
      void flushBatch(batch).finally(() => {
        inFlight -= 1;
        schedule();
      });
    }
  };

  // setImmediate runs after this turn's I/O callbacks: every request whose body arrived in the
  // same turn joins the same batch, and none waits on a timer.
  const schedule = () => {
    if (scheduled || waiting.length === 0 || inFlight >= options.maxInFlight) return;
    scheduled = true;
    setImmediate(run);
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      schedule();
    });
}
