import type { BounceKind } from '@paperboy/db';
import { mimeParts } from './mime-parts.ts';
import { addressOf, enhancedStatus, fieldBlocks } from './report-fields.ts';

/** What one inbound report says, before it is tied to a message. */
export interface ParsedReport {
  kind: BounceKind;
  recipient: string | null;
  status: string | null;
  action: string | null;
  diagnostic: string | null;
  /** Text in which our VERP addresses may be quoted (original headers, Original-Mail-From). */
  quoted: string;
}

const UNPARSED: Omit<ParsedReport, 'quoted'> = {
  kind: 'unparsed',
  recipient: null,
  status: null,
  action: null,
  diagnostic: null,
};

/**
 * A DSN's outcome: only `failed` with a 5.x.x status is permanent (RFC 3464, 3463). `failed` with
 * 4.x.x is a soft bounce. `delayed` is a warning while the remote MTA still retries; counting it
 * would suppress readers whose one message sat in a queue, so it is kept as "other".
 */
function classifyDsn(action: string | null, status: string | null, diagnostic: string | null): BounceKind {
  if (action !== 'failed') return 'other';
  const klass = status?.[0] ?? /\b([45])\d\d\b/.exec(diagnostic ?? '')?.[1];
  if (klass === '5') return 'hard';
  if (klass === '4') return 'soft';
  return 'unparsed';
}

function parseDsn(body: string): Omit<ParsedReport, 'quoted'> {
  const recipients = fieldBlocks(body).filter((block) => block.has('action') || block.has('final-recipient'));
  const chosen = recipients.find((block) => block.get('action')?.toLowerCase() === 'failed') ?? recipients[0];
  if (!chosen) return UNPARSED;
  const action = chosen.get('action')?.toLowerCase().split(/\s/)[0] ?? null;
  const diagnostic = chosen.get('diagnostic-code') ?? null;
  const status = enhancedStatus(chosen.get('status')) ?? enhancedStatus(diagnostic ?? undefined);
  return {
    kind: classifyDsn(action, status, diagnostic),
    recipient: addressOf(chosen.get('final-recipient') ?? chosen.get('original-recipient')),
    status,
    action,
    diagnostic,
  };
}

/** RFC 5965: abuse and fraud reports are complaints; anything else (not-spam, virus…) counts for nothing. */
function parseArf(body: string): Omit<ParsedReport, 'quoted'> & { mailFrom: string } {
  const fields = fieldBlocks(body)[0] ?? new Map<string, string>();
  const feedbackType = fields.get('feedback-type')?.toLowerCase() ?? null;
  return {
    kind:
      feedbackType === 'abuse' || feedbackType === 'fraud'
        ? 'complaint'
        : feedbackType
          ? 'other'
          : 'unparsed',
    recipient: addressOf(fields.get('original-rcpt-to')),
    status: null,
    action: feedbackType,
    diagnostic: fields.get('user-agent') ?? null,
    mailFrom: fields.get('original-mail-from') ?? '',
  };
}

/** Reads one inbound message as a delivery status notification, a feedback report, or neither. */
export async function parseReport(raw: Buffer): Promise<ParsedReport> {
  let parts: Awaited<ReturnType<typeof mimeParts>>;
  try {
    parts = await mimeParts(raw);
  } catch {
    return { ...UNPARSED, quoted: raw.toString('utf8') };
  }
  const quoted = parts
    .filter(
      (part) => part.contentType.startsWith('text/rfc822-headers') || part.contentType === 'message/rfc822',
    )
    .map((part) => part.body)
    .join('\n');
  const feedback = parts.find((part) => part.contentType === 'message/feedback-report');
  if (feedback) {
    const { mailFrom, ...arf } = parseArf(feedback.body);
    return { ...arf, quoted: `${mailFrom}\n${quoted}` };
  }
  const status = parts.find(
    (part) =>
      part.contentType === 'message/delivery-status' || part.contentType === 'message/global-delivery-status',
  );
  if (status) return { ...parseDsn(status.body), quoted };
  return { ...UNPARSED, quoted: raw.toString('utf8') };
}
