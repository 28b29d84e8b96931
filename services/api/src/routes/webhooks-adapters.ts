import type { BounceKind, BounceReport } from '@paperboy/db';
import type { MailRef } from '@paperboy/links';

type RefOf = (address: string | undefined) => MailRef | null;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

function unparsed(source: BounceReport['source'], raw: string): BounceReport {
  return {
    source,
    kind: 'unparsed',
    ref: null,
    recipient: null,
    status: null,
    action: null,
    diagnostic: null,
    raw,
  };
}

interface SesRecipient {
  emailAddress?: unknown;
  status?: unknown;
  action?: unknown;
  diagnosticCode?: unknown;
}

/**
 * Amazon SES's bounce and complaint notifications (the SNS Message, JSON in a string). The mail's
 * `source` is the envelope sender we gave SES: our VERP address, which names the delivery.
 * Delivery and other event types are not bounces and yield nothing.
 */
export function sesReports(message: string, refOf: RefOf): BounceReport[] {
  let notification: Record<string, Record<string, unknown> | undefined> & {
    notificationType?: unknown;
    eventType?: unknown;
  };
  try {
    notification = JSON.parse(message);
  } catch {
    return [unparsed('ses', message)];
  }
  const type = notification?.notificationType ?? notification?.eventType;
  const ref = refOf(text(notification?.mail?.source) ?? undefined);
  if (type === 'Bounce') {
    const bounce = notification.bounce;
    const kind: BounceKind =
      bounce?.bounceType === 'Permanent' ? 'hard' : bounce?.bounceType === 'Transient' ? 'soft' : 'other';
    const recipients = bounce?.bouncedRecipients;
    if (!Array.isArray(recipients) || recipients.length === 0) return [unparsed('ses', message)];
    return (recipients as SesRecipient[]).map((recipient) => ({
      source: 'ses',
      kind,
      ref,
      recipient: text(recipient.emailAddress),
      status: text(recipient.status),
      action: text(recipient.action),
      diagnostic: text(recipient.diagnosticCode) ?? text(bounce?.bounceSubType),
      raw: null,
    }));
  }
  if (type === 'Complaint') {
    const complaint = notification.complaint;
    const recipients = complaint?.complainedRecipients;
    if (!Array.isArray(recipients) || recipients.length === 0) return [unparsed('ses', message)];
    const feedback = text(complaint?.complaintFeedbackType);
    return (recipients as SesRecipient[]).map((recipient) => ({
      source: 'ses',
      kind: feedback === 'not-spam' ? 'other' : 'complaint',
      ref,
      recipient: text(recipient.emailAddress),
      status: null,
      action: feedback,
      diagnostic: null,
      raw: null,
    }));
  }
  if (typeof type === 'string') return [];
  return [unparsed('ses', message)];
}

// Postmark's bounce types (its API docs, "Bounce types"): only these say something about the reader.
const POSTMARK_KINDS: Record<string, BounceKind> = {
  HardBounce: 'hard',
  BadEmailAddress: 'hard',
  SoftBounce: 'soft',
  Transient: 'soft',
  DnsError: 'soft',
  SpamComplaint: 'complaint',
};

/** Postmark's Bounce and SpamComplaint webhooks; other record types (Delivery, Open…) yield null. */
export function postmarkReport(
  body: { RecordType: string; Type?: string; Email?: string; Description?: string; Details?: string },
  raw: string,
): BounceReport | null {
  if (body.RecordType !== 'Bounce' && body.RecordType !== 'SpamComplaint') return null;
  const kind =
    body.RecordType === 'SpamComplaint' ? 'complaint' : (POSTMARK_KINDS[body.Type ?? ''] ?? 'other');
  if (!text(body.Email)) return unparsed('postmark', raw);
  return {
    source: 'postmark',
    kind,
    // Postmark rewrites the envelope sender, so the address is what names the reader.
    ref: null,
    recipient: body.Email!,
    status: null,
    action: body.Type ?? body.RecordType,
    diagnostic: text(body.Details) ?? text(body.Description),
    raw: null,
  };
}
