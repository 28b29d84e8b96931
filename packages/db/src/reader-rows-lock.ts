import type { PoolClient } from './pool.ts';

/*
 * Deliveries and delivery_papers no longer reference subscribers (migration 083), so nothing in
 * Postgres stops a plan from inserting a delivery for a reader who is being erased: the plan's
 * statement may have read the reader before the erasure committed and insert after it. This lock
 * closes that gap: every plan chunk holds it shared for its transaction, erasing holds it
 * exclusively, so an erasure waits for the chunk in flight (a second or two) and sees its rows, and
 * a later chunk no longer sees the reader. Composing needs no part in it: the erasure deletes the
 * reader's deliveries (waiting for any composer holding one locked) before their delivery_papers.
 *
 * Two int4 keys, a space of their own apart from the bigint keys used elsewhere; the second is the
 * schema, so test schemas sharing a database do not wait for each other.
 */
const READER_ROWS_LOCK_KEY = 7_246_083;

/** Held by a plan chunk's transaction: erasures wait for it, other plan chunks do not. */
export async function holdReaderRowsForPlanning(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock_shared($1, hashtext(current_schema()))', [
    READER_ROWS_LOCK_KEY,
  ]);
}

/** Held by an erasure's transaction: no plan chunk runs while it deletes a reader's rows. */
export async function holdReaderRowsForErasure(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [READER_ROWS_LOCK_KEY]);
}
