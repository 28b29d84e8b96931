import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

export interface LocalServer {
  baseUrl: string;
  /** Path and query of every request, in arrival order. */
  requests: string[];
  /** Replace the behaviour for the next test; `hit` counts requests since the last call. */
  respond(handler: Handler): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with a random port, so adapters run their true fetch path. */
export async function startLocalServer(): Promise<LocalServer> {
  let handler: Handler = (_request, response) => response.writeHead(404).end();
  let hits = 0;
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response, hits++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      handler = next;
      hits = 0;
      requests.length = 0;
    },
    close() {
      // Tests leave hung responses open on purpose (timeouts): drop them instead of waiting.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

export function sendJson(
  response: ServerResponse,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
