export {
  changeAddressUrl,
  confirmUrl,
  DATA_LINK_TTL_SECONDS,
  dataUrl,
  editionUrl,
  type FeedLinkSubject,
  feedTokenVersion,
  type LinkSettings,
  type LinkSubject,
  linkPaths,
  parseVoteTarget,
  personalFeedUrl,
  personalUrl,
  type VoteDirection,
  voteTarget,
  voteUrl,
} from './links.ts';
export { signToken, type TokenCheck, type TokenClaims, type TokenPurpose, verifyToken } from './tokens.ts';
export {
  findMailRefs,
  type MailKind,
  type MailRef,
  mailRefFromAddress,
  signMailRef,
  verifyMailRef,
  verpAddress,
} from './verp.ts';
