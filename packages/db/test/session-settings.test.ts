import { createTestSchema, type TestSchema } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/index.ts';

/*
 * Our sessions run without JIT compilation and with random_page_cost 1.1 (pool.ts says why), keep the options a URL brings
 * (tests' and operators' search_path), and an operator who asks for JIT in the URL gets it.
 */
describe('session settings of our connections', () => {
  let schema: TestSchema;

  beforeAll(async () => {
    schema = await createTestSchema('session_settings');
  });
  afterAll(async () => {
    await schema?.drop();
  });

  async function settings(
    databaseUrl: string,
  ): Promise<{ jit: string; randomPageCost: string; searchPath: string }> {
    const pool = createPool(databaseUrl, 1);
    try {
      const { rows } = await pool.query<{ jit: string; random_page_cost: string; search_path: string }>(
        `SELECT current_setting('jit') AS jit, current_setting('random_page_cost') AS random_page_cost,
                current_setting('search_path') AS search_path`,
      );
      return {
        jit: rows[0]!.jit,
        randomPageCost: rows[0]!.random_page_cost,
        searchPath: rows[0]!.search_path,
      };
    } finally {
      await pool.end();
    }
  }

  it('turns JIT off, prices random reads as for SSDs, and keeps the search_path the URL asks for', async () => {
    expect(await settings(schema.url)).toEqual({
      jit: 'off',
      randomPageCost: '1.1',
      searchPath: schema.name,
    });
  });

  it('leaves a setting the URL itself asks for as it is', async () => {
    const url = new URL(schema.url);
    url.searchParams.set('options', `${url.searchParams.get('options')} -c jit=on -c random_page_cost=2`);
    expect(await settings(url.toString())).toEqual({
      jit: 'on',
      randomPageCost: '2',
      searchPath: schema.name,
    });
  });
});
