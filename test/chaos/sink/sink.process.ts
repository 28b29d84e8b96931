/**
 * The chaos suite's SMTP sink, run as its own process so the services reach it over real sockets
 * and a scenario can turn it hostile while they send. It keeps only what the verdict needs: per
 * recipient, the Message-ID of every message it accepted and how many RCPT TO it saw.
 *
 * stdout: one JSON line {"smtpPort":…, "controlPort":…}. Control (HTTP on 127.0.0.1):
 *   PUT /mode {"mode":"accept"|"421"|"auth-535"}   how every session is answered from now on
 *   PUT /reject {"addresses":[…]}                  550 5.1.1 at RCPT TO for these recipients
 *   GET /stats                                     SinkStats (see sink.types.ts)
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type SinkMode, type SinkStats, sinkModes } from './sink.types.ts';

let mode: SinkMode = 'accept';
let rejected = new Set<string>();
const accepted = new Map<string, string[]>();
const rcptAttempts = new Map<string, number>();
const refusals: Record<string, number> = { '421': 0, '535': 0, '550': 0 };
let otherMail = 0;
const dropped = new Set<string>();
let lastAcceptedAt = 0;

function smtpError(code: number, message: string): Error {
  refusals[code] = (refusals[code] ?? 0) + 1;
  return Object.assign(new Error(message), { responseCode: code });
}

// Only the header block is read: the Message-ID says which digest (delivery) it is.
const HEADER_LIMIT = 64 * 1024;
// Folded onto the next line when long, as nodemailer does with ours.
const MESSAGE_ID = /^Message-ID:\s*(<[^>\s]+>)/im;

const smtp = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  authMethods: ['PLAIN', 'LOGIN'],
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onConnect(_session, callback) {
    if (mode === '421') return callback(smtpError(421, '4.3.2 chaos sink: service not available, try later'));
    callback();
  },
  onAuth(_auth, _session, callback) {
    if (mode === 'auth-535')
      return callback(smtpError(535, '5.7.8 chaos sink: authentication credentials invalid'));
    callback(null, { user: 'chaos' });
  },
  onMailFrom(_address, _session, callback) {
    if (mode === '421') return callback(smtpError(421, '4.3.2 chaos sink: service not available, try later'));
    callback();
  },
  onRcptTo(address, _session, callback) {
    const recipient = address.address.toLowerCase();
    rcptAttempts.set(recipient, (rcptAttempts.get(recipient) ?? 0) + 1);
    if (mode === '421') return callback(smtpError(421, '4.3.2 chaos sink: service not available, try later'));
    if (rejected.has(recipient)) return callback(smtpError(550, '5.1.1 chaos sink: no such mailbox here'));
    callback();
  },
  onData(stream, session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < HEADER_LIMIT && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      // A session dropped as a hostile mode began may still finish reading its message here, but
      // its 250 can no longer reach the client: it is refused, never counted as delivered.
      if (dropped.has(session.id)) return callback(smtpError(421, '4.3.2 chaos sink: session dropped'));
      const messageId = MESSAGE_ID.exec(head.split('\r\n\r\n', 1)[0]!)?.[1];
      if (!messageId?.includes('.digest@')) otherMail += 1;
      else {
        for (const rcpt of session.envelope.rcptTo) {
          const recipient = rcpt.address.toLowerCase();
          const ids = accepted.get(recipient) ?? [];
          ids.push(messageId);
          accepted.set(recipient, ids);
        }
      }
      lastAcceptedAt = Date.now();
      callback();
    });
  },
});

// A client killed mid-session (kill -9 of a mailer) resets its socket; smtp-server reports that as
// an 'error' event, which would end this process if nobody listened.
smtp.on('error', () => {});

/** A hostile mode starts now, also for pooled connections opened (and authenticated) before. */
function dropOpenSessions(): void {
  // smtp-server keeps its open sessions in `connections`; its typings do not list it.
  const open = (smtp as unknown as { connections: Set<{ close(): void; session: { id: string } }> })
    .connections;
  for (const connection of open) {
    dropped.add(connection.session.id);
    connection.close();
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return JSON.parse(body || '{}') as Record<string, unknown>;
}

const control = createServer(async (request, response) => {
  const answer = (status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  try {
    if (request.method === 'GET' && request.url === '/stats') {
      const stats: SinkStats = {
        mode,
        accepted: Object.fromEntries(accepted),
        rcptAttempts: Object.fromEntries(rcptAttempts),
        refusals,
        otherMail,
        lastAcceptedAt,
      };
      return answer(200, stats);
    }
    if (request.method === 'PUT' && request.url === '/mode') {
      const next = (await readJson(request)).mode;
      if (!sinkModes.includes(next as SinkMode))
        return answer(400, { error: `unknown mode ${String(next)}` });
      const hostile = next !== 'accept' && next !== mode;
      mode = next as SinkMode;
      if (hostile) dropOpenSessions();
      return answer(200, { mode });
    }
    if (request.method === 'PUT' && request.url === '/reject') {
      const addresses = (await readJson(request)).addresses;
      if (!Array.isArray(addresses)) return answer(400, { error: 'addresses must be an array' });
      rejected = new Set(addresses.map((address) => String(address).toLowerCase()));
      return answer(200, { rejecting: rejected.size });
    }
    answer(404, { error: 'not found' });
  } catch (error) {
    answer(400, { error: (error as Error).message });
  }
});

await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
process.stdout.write(
  `${JSON.stringify({
    smtpPort: (smtp.server.address() as AddressInfo).port,
    controlPort: (control.address() as AddressInfo).port,
  })}\n`,
);

const stop = () => {
  control.close();
  smtp.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
