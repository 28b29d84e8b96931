import { type Edition, findEdition, type Pool } from '@paperboy/db';
import { buildDigestTemplate, type DigestTemplate } from './digest-template.ts';

/** A stored edition and its message written out once, with the reader's parts left open. */
export interface CachedEdition {
  edition: Edition;
  template: DigestTemplate;
}

/**
 * Editions never change once stored and readers share them, so the mailer keeps the most recent
 * ones in memory, each with its message template, instead of reading and encoding ~20 KB of HTML
 * per message. Send batches follow compose batches, so a batch's editions are found together.
 */
export class EditionCache {
  private readonly entries = new Map<string, CachedEdition>();

  constructor(
    private readonly pool: Pool,
    private readonly identity: { from: string; listId: string },
    private readonly capacity = 500,
  ) {}

  async get(id: string): Promise<CachedEdition | null> {
    const cached = this.entries.get(id);
    if (cached) return cached;
    const edition = await findEdition(this.pool, id);
    if (!edition) return null;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const entry = { edition, template: buildDigestTemplate(edition, this.identity) };
    this.entries.set(id, entry);
    return entry;
  }
}
