import type { PaperCard } from '@paperboy/papers';

/** One paper as the digest shows it: already selected and ordered for an edition. */
export interface DigestPaper extends PaperCard {
  /** The reader's topics this paper matched; empty when it fills the digest as general trending. */
  matchedTopics: string[];
}

/** Everything an edition depends on. Readers whose inputs are equal share one edition. */
export interface EditionInput {
  /** The reader's local date the digest is for, YYYY-MM-DD. */
  date: string;
  papers: DigestPaper[];
  /** A weekly digest says "this week" where a daily one says today; absent = daily. */
  cadence?: 'daily' | 'weekly';
}

/** Settings that are the same for every mail: from config, not from the reader. */
export interface Branding {
  /** Base of every link, e.g. https://paperboy.example.org (no trailing slash). */
  publicBaseUrl: string;
  /** The sender's postal line shown in the footer (bulk-sender rules). */
  postalAddress: string;
}

/**
 * A rendered mail whose personal links are still placeholders (see PersonalLinks), so one
 * rendering serves every reader of the edition.
 */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export type VoteDirection = 'more' | 'less';

/** The only per-reader parts of a digest, filled in at send time. */
export interface PersonalLinks {
  unsubscribeUrl: string;
  manageUrl: string;
  viewInBrowserUrl: string;
  /**
   * "More like this" / "less like this" for the paper at this 1-based position of the edition
   * (the edition's paperIds say which paper that is). Called at most once per paper and direction.
   */
  voteUrl: (position: number, direction: VoteDirection) => string;
}
