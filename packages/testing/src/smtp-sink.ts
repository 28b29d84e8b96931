import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** A header exactly as sent (mailparser folds List-* headers into a structure of its own). */
  header(name: string): string | undefined;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Resolves once `count` messages in total match, or rejects after timeoutMs. */
  waitFor(
    predicate: (mail: ReceivedMail) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<ReceivedMail[]>;
  /** Make the next n RCPT TO commands (for one address, if given) fail with this SMTP code (e.g. 451 or 550). */
  rejectNext(n: number, code: number, address?: string): void;
  /** Make the next n messages fail at the end of DATA with this code (e.g. 552 too large, 554 policy). */
  rejectDataNext(n: number, code: number, text?: string): void;
  /** Make RCPT TO answer this code for every recipient until called with null (e.g. a 421 storm). */
  rejectAllRecipients(code: number | null): void;
  /** With `auth: true`: refuse every login with 535 until called with false. */
  refuseLogins(refuse: boolean): void;
  /** Hold each message's 250 for this long (a slow server), 0 for none. */
  delayAcceptMs(ms: number): void;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Advertise AUTH (over plain text, on 127.0.0.1) so a wrong password can be answered with 535. */
  auth?: boolean;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives, parsed with mailparser. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let rejections: { left: number; code: number; address?: string } = { left: 0, code: 550 };
  let dataRejections: { left: number; code: number; text: string } = { left: 0, code: 552, text: '' };
  let allRecipients: number | null = null;
  let loginsRefused = false;
  let acceptDelayMs = 0;
  const smtpError = (code: number, text: string) => {
    const error = new Error(text) as Error & { responseCode: number };
    error.responseCode = code;
    return error;
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (loginsRefused) return callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (allRecipients !== null) {
        return callback(smtpError(allRecipients, `${allRecipients} try again later (test sink)`));
      }
      if (rejections.left > 0 && (!rejections.address || rejections.address === address.address)) {
        rejections.left -= 1;
        const error = new Error(`${rejections.code} rejected by the test sink`) as Error & {
          responseCode: number;
        };
        error.responseCode = rejections.code;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        if (dataRejections.left > 0) {
          dataRejections.left -= 1;
          return callback(smtpError(dataRejections.code, dataRejections.text));
        }
        if (acceptDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, acceptDelayMs));
        const parsed = await simpleParser(raw);
        messages.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          parsed,
          header(name) {
            const line = parsed.headerLines.find((header) => header.key === name.toLowerCase())?.line;
            return line
              ?.slice(line.indexOf(':') + 1)
              .replace(/\r?\n\s+/g, ' ')
              .trim();
          },
        });
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(predicate, count = 1, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.filter(predicate);
          if (found.length >= count) {
            cleanup();
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `SMTP sink: wanted ${count} matching message(s), have ${messages.filter(predicate).length}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    rejectNext(n, code, address) {
      rejections = { left: n, code, address };
    },
    rejectDataNext(n, code, text = `${code} message refused by the test sink`) {
      dataRejections = { left: n, code, text };
    },
    rejectAllRecipients(code) {
      allRecipients = code;
    },
    refuseLogins(refuse) {
      loginsRefused = refuse;
    },
    delayAcceptMs(ms) {
      acceptDelayMs = ms;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
