import type { DigestToSend, Edition } from '@paperboy/db';
import { LinkValues, type PersonalLinks, personalise } from '@paperboy/digest';
import { editionUrl, editionVoteUrls, personalUrl } from '@paperboy/links';
import type { MailerDeps } from './deps.ts';
import { dateHeader, fillDigestTemplate, isPlainAddress } from './digest-template.ts';
import type { CachedEdition } from './edition-cache.ts';
import { digestMessageId, listId } from './mail-identity.ts';
import type { OutgoingMail, RawMail } from './transport.ts';

type Reader = NonNullable<DigestToSend['reader']>;

/** The reader's own links in an edition; both ways of writing a digest fill in these. */
function readerLinks(deps: Pick<MailerDeps, 'config'>, reader: Reader, edition: Edition): PersonalLinks {
  const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
  return {
    unsubscribeUrl: personalUrl(links, 'unsubscribe', reader),
    manageUrl: personalUrl(links, 'manage', reader),
    viewInBrowserUrl: editionUrl(links, edition.id),
    // One signed token for the reader and this edition; position n's links name paper n.
    voteUrl: editionVoteUrls(links, reader, edition.id),
  };
}

/**
 * One reader's digest: the shared edition with their personal links filled in, plus the RFC 8058
 * headers. The Message-ID is the delivery's own, so a resend after a crash carries the same one.
 */
export function digestMail(
  deps: Pick<MailerDeps, 'config'>,
  deliveryId: string,
  reader: Reader,
  edition: Edition,
): OutgoingMail {
  const personal = readerLinks(deps, reader, edition);
  return {
    ref: { kind: 'digest', deliveryId } as const,
    to: reader.email,
    ...personalise(edition, personal),
    messageId: digestMessageId(deps.config, deliveryId),
    headers: {
      'List-Unsubscribe': `<${personal.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': listId(deps.config),
    },
  };
}

/**
 * The same digest as digestMail, written from the edition's template: the reader's headers and
 * links joined into the bytes encoded once per edition. Null for an address that would need
 * encoding in the To header, or links too long for a line (then digestMail and nodemailer write it).
 */
export function rawDigestMail(
  deps: Pick<MailerDeps, 'config'>,
  deliveryId: string,
  reader: Reader,
  cached: CachedEdition,
): RawMail | null {
  if (!isPlainAddress(reader.email)) return null;
  const { edition, template } = cached;
  const messageId = digestMessageId(deps.config, deliveryId);
  const values = new LinkValues(readerLinks(deps, reader, edition));
  const raw = fillDigestTemplate(template, {
    to: reader.email,
    date: dateHeader(new Date()),
    messageId,
    links: values,
  });
  return raw ? { ref: { kind: 'digest', deliveryId }, to: reader.email, messageId, raw } : null;
}
