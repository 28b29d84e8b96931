import type { ReceivedMail } from '@paperboy/testing';

// The mailer names each kind of mail in its Message-ID (see services/mailer/src/mail-identity.ts).
export const isDigest = (mail: ReceivedMail): boolean => mail.parsed.messageId?.includes('.digest@') ?? false;
export const isWelcome = (mail: ReceivedMail): boolean =>
  mail.parsed.messageId?.includes('.welcome@') ?? false;
export const isConfirmation = (mail: ReceivedMail): boolean =>
  mail.parsed.messageId?.includes('.confirm@') ?? false;
export const isDataLink = (mail: ReceivedMail): boolean =>
  mail.parsed.messageId?.includes('.data-link@') ?? false;
