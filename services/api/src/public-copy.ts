import type { Config } from '@paperboy/config';
import { personalise, type RenderedMail } from '@paperboy/digest';
import { editionUrl } from '@paperboy/links';

/**
 * An edition as anyone may see it (view in browser, admin preview): it belongs to no reader, so
 * its personal links point to a page explaining where the reader's own links are.
 */
export function publicCopy(
  mail: RenderedMail,
  config: Pick<Config, 'publicBaseUrl'>,
  editionId: string,
): RenderedMail {
  const helpUrl = `${config.publicBaseUrl}/subscription`;
  return personalise(mail, {
    manageUrl: helpUrl,
    unsubscribeUrl: helpUrl,
    viewInBrowserUrl: editionUrl(config, editionId),
    voteUrl: () => helpUrl,
  });
}
