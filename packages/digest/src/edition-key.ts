import { createHash } from 'node:crypto';
import { templateVersion } from './template-cache.ts';
import type { EditionInput } from './types.ts';

/**
 * The identity of an edition: readers whose inputs give the same key share one rendering.
 *
 * Covers the template version, the date, the cadence (a weekly digest reads differently) and, per paper in order, its id, matched topics and the
 * counts the badges show. Paper text is left out on purpose: it is the same for every reader of a
 * day, and hashing ~50 KB of abstracts per reader would cost more than the sharing saves.
 * Hex, so it is safe in URLs and as a BullMQ job id (no ':').
 */
export function editionKey(input: EditionInput): string {
  const papers = input.papers.map((paper) => [
    paper.id,
    paper.matchedTopics,
    paper.upvotes,
    paper.comments,
    paper.githubStars,
  ]);
  return createHash('sha256')
    .update(JSON.stringify([templateVersion('digest'), input.date, input.cadence ?? 'daily', papers]))
    .digest('hex')
    .slice(0, 32);
}
