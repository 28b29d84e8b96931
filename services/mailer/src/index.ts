export { createTransport, startMailer } from './mailer.ts';
export { type SendResult, sendDigest } from './send-digest.handler.ts';
export { classifySmtpFailure, type FailureClass, type SmtpFailure } from './smtp-failure.ts';
export type { MailTransport, OutgoingMail, SentMail } from './transport.ts';
