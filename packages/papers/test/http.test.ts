import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithRetry, InProcessRequestLimiter, parseRetryAfter, SourceError } from '../src/index.ts';
import { type LocalServer, startLocalServer } from './support/local-server.ts';

const fast = { backoffMs: 5, maxBackoffMs: 20 };

describe('fetchWithRetry', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());

  it('sends a User-Agent and returns the body', async () => {
    let userAgent: string | undefined;
    server.respond((request, response) => {
      userAgent = request.headers['user-agent'];
      response.end('hello');
    });
    const fetched = await fetchWithRetry(`${server.baseUrl}/x`, { userAgent: 'paperboy-test/1' });
    expect(fetched).toMatchObject({ status: 200, text: 'hello', attempts: 1 });
    expect(userAgent).toBe('paperboy-test/1');
  });

  it('does not retry a 404', async () => {
    server.respond((_request, response) => response.writeHead(404).end('no such day'));
    await expect(fetchWithRetry(`${server.baseUrl}/missing`, fast)).rejects.toMatchObject({
      kind: 'http',
      status: 404,
      retryable: false,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a streamed body over the size limit without trusting Content-Length', async () => {
    server.respond((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      // Chunked: no Content-Length to check up front.
      for (let i = 0; i < 8; i++) response.write('x'.repeat(512));
      response.end();
    });
    const failure = fetchWithRetry(`${server.baseUrl}/big`, { ...fast, maxBodyBytes: 1024 });
    await expect(failure).rejects.toBeInstanceOf(SourceError);
    await expect(failure).rejects.toMatchObject({ kind: 'too-large', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a declared Content-Length over the limit before reading', async () => {
    server.respond((_request, response) =>
      response.writeHead(200, { 'content-length': '4096' }).end('y'.repeat(4096)),
    );
    await expect(fetchWithRetry(`${server.baseUrl}/big`, { maxBodyBytes: 1024 })).rejects.toMatchObject({
      kind: 'too-large',
      message: expect.stringContaining('1024 bytes'),
    });
  });

  it('treats a connection cut mid-body as a network error and retries it', async () => {
    server.respond((_request, response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('[{"paper":');
      setTimeout(() => response.socket?.destroy(), 10);
    });
    await expect(fetchWithRetry(`${server.baseUrl}/cut`, { ...fast, retries: 1 })).rejects.toMatchObject({
      kind: 'network',
      retryable: true,
      attempts: 2,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('times out a server that never answers, and says so', async () => {
    server.respond(() => undefined);
    await expect(
      fetchWithRetry(`${server.baseUrl}/hang`, { ...fast, retries: 1, timeoutMs: 100 }),
    ).rejects.toMatchObject({
      kind: 'timeout',
      retryable: true,
      message: expect.stringContaining('timed out'),
    });
    expect(server.requests).toHaveLength(2);
  });

  it('stops at once when the caller aborts', async () => {
    server.respond(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      fetchWithRetry(`${server.baseUrl}/hang`, { ...fast, retries: 5, signal: controller.signal }),
    ).rejects.toMatchObject({ kind: 'aborted', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('runs every attempt, retries included, through the limiter', async () => {
    server.respond((_request, response, hit) => {
      if (hit < 2) response.writeHead(503).end();
      else response.end('ok');
    });
    let runs = 0;
    const limiter = new InProcessRequestLimiter({ intervalMs: 0 });
    const counting = {
      run: <T>(fn: () => Promise<T>) =>
        limiter.run(() => {
          runs++;
          return fn();
        }),
    };
    await fetchWithRetry(`${server.baseUrl}/flaky`, { ...fast, limiter: counting });
    expect(runs).toBe(3);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-09-08T12:00:00Z');
  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 08 Sep 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 08 Sep 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('caps a huge Retry-After', async () => {
    const server = await startLocalServer();
    const waits: number[] = [];
    server.respond((_request, response, hit) => {
      if (hit === 0) response.writeHead(429, { 'retry-after': '86400' }).end();
      else response.end('ok');
    });
    await fetchWithRetry(`${server.baseUrl}/x`, {
      maxRetryAfterMs: 30,
      log: (event) => waits.push(event.waitMs ?? -1),
    });
    expect(waits).toEqual([30]);
    await server.close();
  });
});
