import type { AddressInfo } from 'node:net';
import type { BounceReport, RecordedBounce } from '@paperboy/db';
import { findMailRefs, type MailRef, mailRefFromAddress } from '@paperboy/links';
import type { Logger } from '@paperboy/runtime';
import { SMTPServer } from 'smtp-server';
import { parseReport } from './report-parser.ts';

export interface BounceListenerOptions {
  host: string;
  port: number;
  tokenSecret: string;
  bounceDomain: string;
  /** Stores one report and applies the policy (the db package's recordBounce in production). */
  record(report: BounceReport): Promise<RecordedBounce>;
  logger: Logger;
  /** Reports are small; anything larger is refused at DATA. */
  maxBytes?: number;
}

export interface BounceListener {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * The SMTP door for bounces and complaints. Only our own signed VERP addresses are accepted as
 * recipients, so the listener is no open relay and every report names its message, however
 * mangled the report itself is. Whatever arrives is stored: a report that cannot be read is kept
 * as "unparsed" for an operator; only a storage failure makes the sender try again (451).
 */
export async function startBounceListener(options: BounceListenerOptions): Promise<BounceListener> {
  const refOf = (address: string) => mailRefFromAddress(options.tokenSecret, address, options.bounceDomain);
  const server = new SMTPServer({
    name: options.bounceDomain,
    banner: 'paperboy bounces',
    authOptional: true,
    // Plain SMTP on a port of its own behind the MX; TLS belongs to the MTA in front, if any.
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: options.maxBytes ?? 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (!refOf(address.address)) return callback(smtpError(550, '5.1.1 no such mailbox'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, '5.3.4 report too large'));
        const refs = session.envelope.rcptTo.map((rcpt) => refOf(rcpt.address)).filter((ref) => ref !== null);
        receive(options, Buffer.concat(chunks), refs).then(
          () => callback(),
          (error: unknown) => {
            options.logger.error({ err: error }, 'could not store an inbound report; the sender will retry');
            callback(smtpError(451, '4.3.0 try again later'));
          },
        );
      });
    },
  });
  server.on('error', (error) => options.logger.error({ err: error }, 'bounce listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function receive(options: BounceListenerOptions, raw: Buffer, envelopeRefs: MailRef[]): Promise<void> {
  const parsed = await parseReport(raw);
  // The envelope is authoritative; a quoted VERP address only helps when a report reaches us otherwise.
  const refs =
    envelopeRefs.length > 0
      ? envelopeRefs
      : findMailRefs(options.tokenSecret, parsed.quoted, options.bounceDomain);
  for (const ref of refs.length > 0 ? refs : [null]) {
    const recorded = await options.record({
      source: 'smtp',
      kind: parsed.kind,
      ref,
      recipient: parsed.recipient,
      status: parsed.status,
      action: parsed.action,
      diagnostic: parsed.diagnostic,
      raw: parsed.kind === 'unparsed' ? raw.toString('utf8') : null,
    });
    const log = {
      bounceId: recorded.id,
      kind: recorded.kind,
      deliveryId: recorded.deliveryId,
      suppressed: recorded.suppressed,
    };
    if (parsed.kind === 'unparsed')
      options.logger.warn(log, 'inbound report could not be parsed; stored for review');
    else options.logger.info({ ...log, status: parsed.status }, 'inbound report recorded');
  }
}
