export {
  changeAddressUrl,
  confirmUrl,
  editionUrl,
  type LinkSettings,
  type LinkSubject,
  linkPaths,
  parseVoteTarget,
  personalUrl,
  type VoteDirection,
  voteTarget,
  voteUrl,
} from './links.ts';
export { signToken, type TokenCheck, type TokenClaims, type TokenPurpose, verifyToken } from './tokens.ts';
