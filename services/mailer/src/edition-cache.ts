import { type Edition, findEdition, type Pool } from '@paperboy/db';

/**
 * Editions never change once stored and thousands of readers share one, so the mailer keeps the
 * most recent ones in memory instead of reading ~80 KB of HTML from Postgres per message.
 */
export class EditionCache {
  private readonly entries = new Map<string, Edition>();

  constructor(
    private readonly pool: Pool,
    private readonly capacity = 200,
  ) {}

  async get(id: string): Promise<Edition | null> {
    const cached = this.entries.get(id);
    if (cached) return cached;
    const edition = await findEdition(this.pool, id);
    if (!edition) return null;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(id, edition);
    return edition;
  }
}
