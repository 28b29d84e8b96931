import { type Edition, findEditions, type Pool } from '@paperboy/db';
import { buildDigestTemplate, type DigestTemplate, templateBytes } from './digest-template.ts';

/** A stored edition and its message written out once, with the reader's parts left open. */
export interface CachedEdition {
  edition: Edition;
  template: DigestTemplate;
}

interface Entry extends CachedEdition {
  bytes: number;
}

/** What the cache may hold by default: a few hundred editions of a day's ~20 KB HTML and text. */
export const EDITION_CACHE_BYTES = 48 * 1024 * 1024;

/**
 * Editions never change once stored and readers share them, so the mailer keeps recently used
 * ones in memory, each with its message template, instead of reading and encoding ~20 KB of HTML
 * per message. Send batches follow compose batches, so a chunk's editions are mostly found here.
 *
 * Bounded by bytes, least recently used first out: how many editions a day has depends on the
 * readers' topics (thousands at 20,000 readers), and the mailer's memory must not. Callers ask
 * per chunk of sends, so no more than a chunk's editions are held outside the cache.
 */
export class EditionCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly pool: Pool,
    private readonly identity: { from: string; listId: string },
    private readonly maxBytes = EDITION_CACHE_BYTES,
  ) {}

  /** The editions of these ids that exist; the missing ones are read in one statement. */
  async getMany(ids: readonly string[]): Promise<Map<string, CachedEdition>> {
    const found = new Map<string, CachedEdition>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const entry = this.entries.get(id);
      if (!entry) {
        missing.push(id);
        continue;
      }
      // Map keeps insertion order: moving a hit to the end makes the first key the least recent.
      this.entries.delete(id);
      this.entries.set(id, entry);
      found.set(id, entry);
    }
    for (const edition of await findEditions(this.pool, missing)) {
      const entry = this.entries.get(edition.id) ?? this.add(edition);
      found.set(edition.id, entry);
    }
    return found;
  }

  /** Bytes held, for tests and metrics. */
  get size(): { editions: number; bytes: number } {
    return { editions: this.entries.size, bytes: this.bytes };
  }

  private add(edition: Edition): Entry {
    const template = buildDigestTemplate(edition, this.identity);
    // UTF-16 strings for the edition's HTML and text (Latin-1 ones take half, counted as the worst).
    const bytes = templateBytes(template) + 2 * (edition.html.length + edition.text.length);
    const entry = { edition, template, bytes };
    this.entries.set(edition.id, entry);
    this.bytes += bytes;
    for (const [id, oldest] of this.entries) {
      if (this.bytes <= this.maxBytes || id === edition.id) break;
      this.entries.delete(id);
      this.bytes -= oldest.bytes;
    }
    return entry;
  }
}
