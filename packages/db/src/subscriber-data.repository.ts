import { inTransaction, type Pool } from './pool.ts';
import { type LearnedTerm, listVotes, type VoteRecord } from './reader-profile.repository.ts';
import { holdReaderRowsForErasure } from './reader-rows-lock.ts';
import type { Subscriber } from './subscribers.repository.ts';

/** Everything paperboy stores about one reader, as they would read it. */
export interface SubscriberExport {
  subscriber: Subscriber & {
    /** sha256 of the address: the key the suppression list uses. */
    emailHash: string;
    updatedAt: Date;
  };
  suppression: { reason: string; detail: string | null; createdAt: Date } | null;
  deliveries: {
    id: string;
    localDate: string;
    status: string;
    editionId: string | null;
    messageId: string | null;
    skipReason: string | null;
    lastError: string | null;
    sendAttempts: number;
    plannedAt: Date;
    composedAt: Date | null;
    sentAt: Date | null;
    papers: { paperId: string; title: string; position: number; matchedTopics: string[]; links: unknown }[];
  }[];
  /** "More like this" / "less like this", newest first. */
  votes: VoteRecord[];
  /** What the votes taught: the profile ranking uses. */
  learnedTerms: LearnedTerm[];
  /** A change of address asked for and not yet confirmed (a confirmed one leaves no trace here). */
  addressChange: { newEmail: string; requestedAt: Date; expiresAt: Date; confirmedAt: Date | null } | null;
}

export async function exportSubscriberData(pool: Pool, id: string): Promise<SubscriberExport | null> {
  const subscriber = await pool.query<SubscriberExport['subscriber']>(
    `SELECT id, email, email_hash AS "emailHash", status, topics, timezone, send_hour AS "sendHour",
       paper_count AS "paperCount", cadence, weekday, token_version AS "tokenVersion", paused_until AS "pausedUntil",
       confirmation_sent_at AS "confirmationSentAt", confirmed_at AS "confirmedAt",
       unsubscribed_at AS "unsubscribedAt", created_at AS "createdAt", updated_at AS "updatedAt"
     FROM subscribers WHERE id = $1`,
    [id],
  );
  const row = subscriber.rows[0];
  if (!row) return null;
  const suppression = await pool.query<NonNullable<SubscriberExport['suppression']>>(
    `SELECT reason, detail, created_at AS "createdAt" FROM suppressions WHERE email_hash = $1`,
    [row.emailHash],
  );
  const deliveries = await pool.query<SubscriberExport['deliveries'][number]>(
    `SELECT d.id, d.local_date AS "localDate", d.status, d.edition_id AS "editionId",
       d.message_id AS "messageId", d.skip_reason AS "skipReason", d.last_error AS "lastError",
       d.send_attempts AS "sendAttempts", d.planned_at AS "plannedAt", d.composed_at AS "composedAt",
       d.sent_at AS "sentAt",
       coalesce(json_agg(json_build_object('paperId', p.id, 'title', p.title, 'position', dp.position,
         'matchedTopics', dp.matched_topics, 'links', p.links) ORDER BY dp.position)
         FILTER (WHERE dp.paper_id IS NOT NULL), '[]') AS papers
     FROM deliveries d
     LEFT JOIN delivery_papers dp ON dp.delivery_id = d.id
     LEFT JOIN papers p ON p.id = dp.paper_id
     WHERE d.subscriber_id = $1
     GROUP BY d.id
     ORDER BY d.local_date, d.planned_at`,
    [id],
  );
  const terms = await pool.query<LearnedTerm>(
    'SELECT label, lexeme, weight FROM reader_terms WHERE subscriber_id = $1 ORDER BY abs(weight) DESC, lexeme',
    [id],
  );
  const addressChange = await pool.query<NonNullable<SubscriberExport['addressChange']>>(
    `SELECT new_email AS "newEmail", requested_at AS "requestedAt", expires_at AS "expiresAt",
       confirmed_at AS "confirmedAt"
     FROM address_changes WHERE subscriber_id = $1`,
    [id],
  );
  return {
    subscriber: row,
    suppression: suppression.rows[0] ?? null,
    deliveries: deliveries.rows,
    votes: await listVotes(pool, id),
    learnedTerms: terms.rows,
    addressChange: addressChange.rows[0] ?? null,
  };
}

/**
 * Erases a reader: the row goes, its deliveries and paper history are deleted here (they keep no
 * foreign key to subscribers, migration 083), and votes, learned terms and any change of address
 * cascade with it. Deliveries go before delivery_papers: deleting a delivery waits for a composer
 * that holds it locked, and the paper rows that composer wrote are then visible. Only the
 * address's hash stays, on the suppression list, so it is not mailed again unless it signs up and
 * confirms anew. Erasing never weakens a stronger reason (complaint, hard bounce, operator block):
 * that reason stays, only its detail goes, as does every detail in the address's history (bounce
 * text may quote the address).
 */
export async function eraseSubscriber(pool: Pool, id: string, tokenVersion: number): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    await holdReaderRowsForErasure(client);
    const gone = await client.query<{ email_hash: string }>(
      'DELETE FROM subscribers WHERE id = $1 AND token_version = $2 RETURNING email_hash',
      [id, tokenVersion],
    );
    const hash = gone.rows[0]?.email_hash;
    if (hash === undefined) return false;
    await client.query('DELETE FROM deliveries WHERE subscriber_id = $1', [id]);
    await client.query('DELETE FROM delivery_papers WHERE subscriber_id = $1', [id]);
    await client.query(`SELECT paperboy_suppress($1, 'erased', NULL, 'reader')`, [hash]);
    await client.query('UPDATE suppressions SET detail = NULL WHERE email_hash = $1', [hash]);
    await client.query('UPDATE suppression_events SET detail = NULL WHERE email_hash = $1', [hash]);
    return true;
  });
}
