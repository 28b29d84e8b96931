import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { dkimOptions, envelopeSender, type MailAuthConfig } from './mail-identity.ts';
import {
  type MailTransport,
  nodemailerMessage,
  type OutgoingMail,
  type RawMail,
  type SentMail,
} from './transport.ts';

/**
 * With no SMTP server configured, each message is written as an .eml file (openable in any mail
 * client) so paperboy can be tried on a laptop with nothing but Postgres and Redis. The file is
 * signed like a sent message and starts with the Return-Path a receiving server would add.
 */
export function createOutboxTransport(outboxDir: string, settings: MailAuthConfig): MailTransport {
  const transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
    dkim: dkimOptions(settings),
  });
  const writeEml = async (messageId: string, returnPath: string, message: unknown): Promise<string> => {
    await mkdir(outboxDir, { recursive: true });
    const safeId = messageId.replace(/[^a-zA-Z0-9.-]/g, '_');
    const file = path.resolve(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`);
    await writeFile(file, Buffer.concat([Buffer.from(`Return-Path: <${returnPath}>\n`), message as Buffer]));
    return file;
  };
  return {
    // Writing a file: a minute is far beyond any real write, and keeps the lease honest.
    worstCaseSendMs: 60_000,
    async send(mail: OutgoingMail, from: string): Promise<SentMail> {
      const returnPath = envelopeSender(settings, mail.ref);
      const info = await transporter.sendMail(nodemailerMessage(mail, from, returnPath));
      return {
        messageId: info.messageId,
        destination: await writeEml(mail.messageId, returnPath, info.message),
      };
    },
    async sendRaw(mail: RawMail): Promise<SentMail> {
      const returnPath = envelopeSender(settings, mail.ref);
      const info = await transporter.sendMail({
        envelope: { from: returnPath, to: mail.to },
        raw: Buffer.concat(mail.raw),
      });
      return {
        messageId: mail.messageId,
        destination: await writeEml(mail.messageId, returnPath, info.message),
      };
    },
    async verify() {
      await mkdir(outboxDir, { recursive: true });
    },
    async isReady() {
      return true;
    },
    close() {},
  };
}
