import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let api: TestApi;
let port: number;
beforeAll(async () => {
  api = await startTestApi('connection_close');
  port = (api.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await api?.close();
});

interface Exchange {
  /** Everything the server sent. */
  received: string;
  /** Whether the server ended the connection (rather than our giving up waiting). */
  closedByServer: boolean;
}

/**
 * Writes raw bytes on one keep-alive connection and reads until the server closes it or `until`
 * matches what arrived; what a keep-alive client sees, without an HTTP library smoothing it over.
 */
function exchange(payload: string, until?: RegExp): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const done = (closedByServer: boolean) => {
      clearTimeout(guard);
      socket.destroy();
      resolve({ received, closedByServer });
    };
    // Only a bound on a broken server; nothing is asserted about time.
    const guard = setTimeout(() => done(false), 10_000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (until?.test(received)) done(false);
    });
    socket.on('end', () => done(true));
    socket.on('close', () => done(true));
    socket.on('error', reject);
    socket.write(payload);
  });
}

const head = (exchanged: Exchange) => exchanged.received.split('\r\n\r\n')[0]!;

describe('every answer after which the connection closes says Connection: close', () => {
  it('431 for headers that are too large', async () => {
    const big = `GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const answer = await exchange(big);
    expect(head(answer)).toMatch(/^HTTP\/1\.1 431 /);
    expect(head(answer)).toMatch(/\r\nConnection: close\r\n/i);
    expect(JSON.parse(answer.received.split('\r\n\r\n')[1]!)).toMatchObject({ error: expect.any(String) });
    expect(answer.closedByServer).toBe(true);
  });

  it('400 for a request Node cannot parse', async () => {
    const answer = await exchange('THIS IS NOT HTTP\r\n\r\n');
    expect(head(answer)).toMatch(/^HTTP\/1\.1 400 /);
    expect(head(answer)).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer.closedByServer).toBe(true);
  });

  it('413 for a body larger than the route takes, refused before it is read', async () => {
    const answer = await exchange(
      'POST /v1/subscriptions HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"email":',
    );
    expect(head(answer)).toMatch(/^HTTP\/1\.1 413 /);
    expect(head(answer)).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.closedByServer).toBe(true);
  });

  it('keeps an ordinary keep-alive connection open for the next request', async () => {
    const request = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
    const answer = await exchange(request + request, /(HTTP\/1\.1 200[\s\S]*){2}"status":"ok"\}$/);
    expect(answer.received.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    expect(answer.received).not.toMatch(/connection: close/i);
    expect(answer.closedByServer).toBe(false);
  });
});

describe('metrics', () => {
  it('are not on the public port; the ops port serves them with queue depths', async () => {
    expect((await api.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    const opsPort = api.opsPort;
    const metrics = await fetch(`http://127.0.0.1:${opsPort}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('paperboy_queue_jobs');
    expect(text).toContain('paperboy_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${opsPort}/readyz`)).status).toBe(200);
  });
});
