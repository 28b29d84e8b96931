/** Why a source could not be read; callers decide from `retryable`, operators read `kind`. */
export type SourceErrorKind = 'network' | 'timeout' | 'http' | 'too-large' | 'malformed' | 'aborted';

/**
 * A source (Hugging Face, arXiv) failed. `retryable` is false when asking again cannot help
 * (4xx other than 429, a body over the size limit, a malformed payload, a caller's abort), so a
 * job runner can give up at once instead of burning its attempts.
 */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly kind: SourceErrorKind;
  readonly url: string;
  readonly status: number | null;
  readonly retryable: boolean;
  /** How many HTTP attempts were made before giving up (0 when none was). */
  readonly attempts: number;

  constructor(
    message: string,
    details: {
      kind: SourceErrorKind;
      url: string;
      status?: number | null;
      retryable: boolean;
      attempts?: number;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.url = details.url;
    this.status = details.status ?? null;
    this.retryable = details.retryable;
    this.attempts = details.attempts ?? 0;
  }
}

/**
 * A payload that is not what the source promises (not an array, not Atom, an arXiv error feed).
 * Pure parsers throw it because they do not know the URL; fetchers turn it into a SourceError.
 */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}
