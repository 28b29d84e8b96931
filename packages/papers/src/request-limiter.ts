/**
 * Serialises requests to one host and spaces them out. arXiv's terms ask for one request at a
 * time and one every 3 seconds across all of a client's machines, so fetchers run each HTTP
 * attempt (not each logical fetch: a retry is a request too) through one of these.
 */
export interface RequestLimiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export const ARXIV_INTERVAL_MS = 3000;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * For a single process (the CLI, tests). The gap is measured from the end of one call to the
 * start of the next, which is stricter than start-to-start and keeps a slow response from
 * letting the next request in early.
 */
export class InProcessRequestLimiter implements RequestLimiter {
  readonly intervalMs: number;
  private tail: Promise<void> = Promise.resolve();
  private nextAllowedAt = 0;

  constructor(options: { intervalMs?: number } = {}) {
    this.intervalMs = options.intervalMs ?? ARXIV_INTERVAL_MS;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      // Until the clock says so: a timer may fire a millisecond before Date.now() has moved on.
      for (let waitMs = this.nextAllowedAt - Date.now(); waitMs > 0; waitMs = this.nextAllowedAt - Date.now())
        await sleep(waitMs);
      try {
        return await fn();
      } finally {
        this.nextAllowedAt = Date.now() + this.intervalMs;
      }
    });
    // A failed call must not stop the queue behind it.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
