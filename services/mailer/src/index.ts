export { createTransport, startMailer } from './mailer.ts';
export type { MailTransport, OutgoingMail, SentMail } from './transport.ts';
