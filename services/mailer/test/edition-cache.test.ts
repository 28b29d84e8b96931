import { createPool, type Edition, migrate, type Pool, saveEditions } from '@paperboy/db';
import { createTestSchema, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EditionCache } from '../src/edition-cache.ts';

const identity = { from: 'Paperboy <digest@paperboy.example>', listId: 'paperboy <digest.paperboy.example>' };

const edition = (index: number): Edition => ({
  id: `edition-${index}`,
  editionDate: '2026-12-02',
  templateVersion: 'test',
  subject: `Edition ${index}`,
  html: `<p>${'x'.repeat(20_000)} ${index}</p>`,
  text: `${'y'.repeat(10_000)} ${index}`,
  paperIds: [],
});

describe('the mailer’s edition cache', () => {
  let schema: TestSchema;
  let pool: Pool;
  let statements = 0;

  beforeAll(async () => {
    schema = await createTestSchema('edition_cache');
    pool = createPool(schema.url, 2);
    await migrate(pool);
    await saveEditions(pool, [1, 2, 3, 4, 5].map(edition));
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as { query: unknown }).query = (...args: unknown[]) => {
      statements += 1;
      return query(...args);
    };
  });
  afterAll(async () => {
    await pool?.end();
    await schema?.drop();
  });

  it('reads a chunk’s missing editions in one statement and answers repeats from memory', async () => {
    const cache = new EditionCache(pool, identity);
    statements = 0;
    const found = await cache.getMany(['edition-1', 'edition-2', 'edition-1', 'edition-404']);
    expect(statements).toBe(1);
    expect([...found.keys()].sort()).toEqual(['edition-1', 'edition-2']);
    expect(found.get('edition-2')?.edition.subject).toBe('Edition 2');
    expect(found.get('edition-2')?.template.editionId).toBe('edition-2');

    statements = 0;
    const again = await cache.getMany(['edition-2', 'edition-1']);
    expect(statements).toBe(0);
    expect(again.get('edition-1')).toBe(found.get('edition-1'));
  });

  it('holds no more bytes than it is given, dropping the least recently used edition first', async () => {
    const one = (await new EditionCache(pool, identity).getMany(['edition-1'])).get('edition-1')!;
    const perEdition = new EditionCache(pool, identity);
    await perEdition.getMany(['edition-1']);
    const bytes = perEdition.size.bytes;
    expect(bytes).toBeGreaterThan(one.edition.html.length);

    const cache = new EditionCache(pool, identity, Math.floor(bytes * 2.5));
    await cache.getMany(['edition-1']);
    await cache.getMany(['edition-2']);
    await cache.getMany(['edition-1']); // edition-2 is now the least recently used
    await cache.getMany(['edition-3']);
    expect(cache.size.editions).toBe(2);
    expect(cache.size.bytes).toBeLessThanOrEqual(Math.floor(bytes * 2.5));

    statements = 0;
    await cache.getMany(['edition-1', 'edition-3']);
    expect(statements).toBe(0);
    await cache.getMany(['edition-2']);
    expect(statements).toBe(1);
  });
});
