import { SourceError } from './errors.ts';
import { type RequestLimiter, sleep } from './request-limiter.ts';

export interface FetchLogEvent {
  msg: string;
  url: string;
  attempt: number;
  status?: number;
  waitMs?: number;
}

export interface FetchOptions {
  /** Per attempt, covering headers and body. */
  timeoutMs?: number;
  /** Extra attempts after the first; only network errors, timeouts, 429 and 5xx are retried. */
  retries?: number;
  /** First backoff; doubles per retry, with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Cap on a server's Retry-After, so one header cannot park a job for hours. */
  maxRetryAfterMs?: number;
  maxBodyBytes?: number;
  userAgent?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Called once per retry; pass a pino child's method here. */
  log?: (event: FetchLogEvent) => void;
  /** Every attempt (retries included) runs through it: a retry is a request to the host too. */
  limiter?: RequestLimiter;
}

export interface FetchedText {
  url: string;
  status: number;
  headers: Headers;
  text: string;
  attempts: number;
}

export const DEFAULT_USER_AGENT = 'paperboy/0.1 (self-hosted research paper digest)';
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function backoffDelay(retry: number, backoffMs: number, maxBackoffMs: number): number {
  const ceiling = Math.min(maxBackoffMs, backoffMs * 2 ** (retry - 1));
  // Equal jitter: never less than half the ceiling, so retries stay polite under load.
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

async function readBodyCapped(response: Response, url: string, maxBodyBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, response.status, maxBodyBytes);
  }
  if (!response.body) return '';
  // Content-Length can be absent or wrong (chunked, compressed), so count what actually arrives.
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBodyBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(url, response.status, maxBodyBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function tooLarge(url: string, status: number, maxBodyBytes: number): SourceError {
  return new SourceError(`GET ${url}: body exceeds the limit of ${maxBodyBytes} bytes`, {
    kind: 'too-large',
    url,
    status,
    retryable: false,
  });
}

/**
 * GET a URL and return its body as text, retrying what a retry can fix. Every failure is a
 * SourceError naming the URL, with `retryable` telling a job runner whether to try later.
 */
export async function fetchWithRetry(url: string, options: FetchOptions = {}): Promise<FetchedText> {
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const headers = {
    'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
    accept: options.accept ?? '*/*',
  };

  for (let attempt = 1; ; attempt++) {
    const attemptOnce = async (): Promise<
      FetchedText | { retryAfterMs: number | null; error: SourceError }
    > => {
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      const signals = options.signal ? [timeout.signal, options.signal] : [timeout.signal];
      try {
        const response = await fetch(url, { headers, signal: AbortSignal.any(signals), redirect: 'follow' });
        if (response.status === 429 || response.status >= 500) {
          await response.body?.cancel().catch(() => undefined);
          const error = new SourceError(
            `GET ${url} answered ${response.status} ${response.statusText}`.trim(),
            {
              kind: 'http',
              url,
              status: response.status,
              retryable: true,
              attempts: attempt,
            },
          );
          return { retryAfterMs: parseRetryAfter(response.headers.get('retry-after')), error };
        }
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new SourceError(`GET ${url} answered ${response.status} ${response.statusText}`.trim(), {
            kind: 'http',
            url,
            status: response.status,
            retryable: false,
            attempts: attempt,
          });
        }
        const text = await readBodyCapped(response, url, maxBodyBytes);
        return { url, status: response.status, headers: response.headers, text, attempts: attempt };
      } catch (cause) {
        if (cause instanceof SourceError) throw cause;
        if (options.signal?.aborted) {
          throw new SourceError(`GET ${url} aborted by the caller`, {
            kind: 'aborted',
            url,
            retryable: false,
            attempts: attempt,
            cause,
          });
        }
        const timedOut = timeout.signal.aborted;
        const detail =
          cause instanceof Error
            ? cause.cause instanceof Error
              ? cause.cause.message
              : cause.message
            : String(cause);
        const error = new SourceError(
          timedOut ? `GET ${url} timed out after ${timeoutMs} ms` : `GET ${url} failed: ${detail}`,
          { kind: timedOut ? 'timeout' : 'network', url, retryable: true, attempts: attempt, cause },
        );
        return { retryAfterMs: null, error };
      } finally {
        clearTimeout(timer);
      }
    };

    const outcome = options.limiter ? await options.limiter.run(attemptOnce) : await attemptOnce();
    if (!('error' in outcome)) return outcome;
    if (attempt > retries) throw outcome.error;

    const waitMs =
      outcome.retryAfterMs !== null
        ? Math.min(outcome.retryAfterMs, maxRetryAfterMs)
        : backoffDelay(attempt, backoffMs, maxBackoffMs);
    options.log?.({
      msg: `retrying: ${outcome.error.message}`,
      url,
      attempt,
      ...(outcome.error.status === null ? {} : { status: outcome.error.status }),
      waitMs,
    });
    try {
      await sleep(waitMs, options.signal);
    } catch (cause) {
      throw new SourceError(`GET ${url} aborted by the caller`, {
        kind: 'aborted',
        url,
        retryable: false,
        attempts: attempt,
        cause,
      });
    }
  }
}

/** The body as JSON; a truncated or non-JSON body is a SourceError naming the URL. */
export function parseJsonBody(fetched: Pick<FetchedText, 'url' | 'status' | 'text'>): unknown {
  try {
    return JSON.parse(fetched.text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SourceError(`GET ${fetched.url}: body is not valid JSON (${reason})`, {
      kind: 'malformed',
      url: fetched.url,
      status: fetched.status,
      retryable: false,
      cause,
    });
  }
}
