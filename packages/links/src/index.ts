export {
  confirmUrl,
  editionUrl,
  type FeedLinkSubject,
  feedTokenVersion,
  type LinkSettings,
  type LinkSubject,
  linkPaths,
  personalFeedUrl,
  personalUrl,
} from './links.ts';
export { signToken, type TokenCheck, type TokenClaims, type TokenPurpose, verifyToken } from './tokens.ts';
