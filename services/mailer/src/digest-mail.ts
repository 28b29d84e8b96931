import type { DigestToSend, Edition } from '@paperboy/db';
import { personalise } from '@paperboy/digest';
import { editionUrl, personalUrl, voteUrl } from '@paperboy/links';
import type { MailerDeps } from './deps.ts';
import { digestMessageId, listId } from './mail-identity.ts';
import type { OutgoingMail } from './transport.ts';

type Reader = NonNullable<DigestToSend['reader']>;

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
  const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
  const unsubscribeUrl = personalUrl(links, 'unsubscribe', reader);
  return {
    ref: { kind: 'digest', deliveryId } as const,
    to: reader.email,
    ...personalise(edition, {
      unsubscribeUrl,
      manageUrl: personalUrl(links, 'manage', reader),
      viewInBrowserUrl: editionUrl(links, edition.id),
      // The edition's papers in mail order: position n's vote links name paper n.
      voteUrl: (position, direction) => {
        const paperId = edition.paperIds[position - 1];
        if (paperId === undefined)
          throw new Error(`edition ${edition.id} has no paper at position ${position}`);
        return voteUrl(links, reader, paperId, direction);
      },
    }),
    messageId: digestMessageId(deps.config, deliveryId),
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': listId(deps.config),
    },
  };
}
