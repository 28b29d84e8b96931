export { shortenAuthors, shortenName } from './authors.ts';
export { editionKey } from './edition-key.ts';
export { escapeHtml } from './escape-html.ts';
export { httpsUrl, knownLinks, type LabelledLink, paperLinkRow, paperPageUrl, titleUrl } from './links.ts';
export {
  type LinkSlot,
  LinkValues,
  MANAGE_URL_PLACEHOLDER,
  PERSONAL_LINK_PLACEHOLDERS,
  personalise,
  splitAtLinks,
  UNSUBSCRIBE_URL_PLACEHOLDER,
  VIEW_IN_BROWSER_URL_PLACEHOLDER,
  votePlaceholder,
} from './personal-links.ts';
export {
  type AddressConfirmationInput,
  maskAddress,
  renderAddressConfirmation,
  renderAddressNotice,
} from './render-address-change.ts';
export { type ConfirmationInput, renderConfirmation } from './render-confirmation.ts';
export { type DataLinkInput, renderDataLink } from './render-data-link.ts';
export { renderEdition } from './render-edition.ts';
export { renderWelcome, type WelcomeInput } from './render-welcome.ts';
export { digestSubject, weeklyDigestSubject } from './subject.ts';
export { paperSummary } from './summary.ts';
export { mjmlCompileCount, templateSource, templateVersion } from './template-cache.ts';
export type {
  Branding,
  DigestPaper,
  EditionInput,
  PersonalLinks,
  RenderedMail,
  VoteDirection,
} from './types.ts';
