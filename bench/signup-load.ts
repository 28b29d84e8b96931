// The sign-up bench's load generator, run as its own process so its CPU is not the api's (see
// signup.bench.ts). Keep-alive HTTP/1.1 over raw sockets, one request in flight per connection:
// a full HTTP client would spend more of the 2 shared cores than the api it measures.
import { connect, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface LoadOptions {
  port: number;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Distinct per run, so addresses never repeat across runs sharing a database. */
  runId: string;
}

/** When the measured window opens and closes (the bench samples the api's CPU then). */
export interface LoadEvents {
  onWindow?(edge: 'start' | 'end'): void;
}

export interface LoadResult {
  /** Responses within the measured window (warm-up excluded). */
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Status code → count, measured window only. */
  statuses: Record<string, number>;
  /** Every address answered 202, warm-up included: the bench checks each is durable. */
  acceptedEmails: string[];
}

const TIMEZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'];

export function emailFor(runId: string, sequence: number): string {
  return `reader${sequence}.${runId}@bench.example`;
}

function requestBytes(port: number, email: string, sequence: number): Buffer {
  const body = JSON.stringify({
    email,
    topics: ['diffusion models'],
    timezone: TIMEZONES[sequence % TIMEZONES.length],
    sendHour: sequence % 24,
  });
  return Buffer.from(
    `POST /v1/subscriptions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The status and length of one complete response at the start of `buffer`, or null when incomplete. */
function parseResponse(buffer: Buffer): { status: number; length: number } | null {
  const headerEnd = buffer.indexOf('\r\n\r\n');
  if (headerEnd < 0) return null;
  const head = buffer.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const length = headerEnd + 4 + (match ? Number(match[1]) : 0);
  return buffer.length >= length ? { status, length } : null;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export async function runLoad(options: LoadOptions, events: LoadEvents = {}): Promise<LoadResult> {
  let sequence = 0;
  let latencies = new Float64Array(1 << 16);
  let measured = 0;
  const statuses: Record<string, number> = {};
  const acceptedEmails: string[] = [];
  const start = performance.now();
  const measureFrom = start + options.warmupSeconds * 1000;
  const stopAt = measureFrom + options.seconds * 1000;
  let lastResponseAt = measureFrom;
  const windowStart = setTimeout(() => events.onWindow?.('start'), measureFrom - start);
  const windowEnd = setTimeout(() => events.onWindow?.('end'), stopAt - start);

  const drive = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      let pending: Buffer = Buffer.alloc(0);
      let email = '';
      let sentAt = 0;
      const send = () => {
        if (performance.now() >= stopAt) {
          socket.end();
          resolve();
          return;
        }
        sequence += 1;
        email = emailFor(options.runId, sequence);
        sentAt = performance.now();
        socket.write(requestBytes(options.port, email, sequence));
      };
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        const response = parseResponse(pending);
        if (!response) return;
        pending = pending.subarray(response.length);
        const now = performance.now();
        if (response.status === 202) acceptedEmails.push(email);
        if (sentAt >= measureFrom) {
          if (measured === latencies.length) {
            const grown = new Float64Array(latencies.length * 2);
            grown.set(latencies);
            latencies = grown;
          }
          latencies[measured++] = now - sentAt;
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          lastResponseAt = now;
        }
        send();
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
      send();
    });

  const sockets = await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port: options.port, noDelay: true }, () =>
            resolve(socket),
          );
          socket.once('error', reject);
        }),
    ),
  );
  await Promise.all(sockets.map(drive));
  clearTimeout(windowStart);
  clearTimeout(windowEnd);
  const sorted = latencies.slice(0, measured).sort();
  return {
    requests: measured,
    seconds: (lastResponseAt - measureFrom) / 1000,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    statuses,
    acceptedEmails,
  };
}

// As a child process: options as JSON in argv[2], the result as JSON on stdout, the window's
// edges as IPC messages.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runLoad(JSON.parse(process.argv[2] ?? '{}') as LoadOptions, {
    onWindow: (edge) => process.send?.(edge),
  });
  process.disconnect?.();
  process.stdout.write(JSON.stringify(result));
}
