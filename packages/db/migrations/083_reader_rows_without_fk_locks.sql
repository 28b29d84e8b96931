-- deliveries.subscriber_id and delivery_papers.subscriber_id referenced subscribers only so that
-- erasing a reader cascaded. The price was paid on every write of the daily path: each inserted
-- row ran a foreign-key check that takes FOR KEY SHARE on the reader's row, so planning a million
-- readers dirtied (and wrote WAL for) a million subscriber tuples, a fifth of the plan's
-- Postgres time, and each of a digest's ~10 delivery_papers rows paid one more check.
-- Erasing a reader now deletes their deliveries and delivery_papers itself (eraseSubscriber, in
-- packages/db/src/subscriber-data.repository.ts), under a lock planning takes in shared mode, so
-- no plan can add a row for a reader while they are erased.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_subscriber_id_fkey;
ALTER TABLE delivery_papers DROP CONSTRAINT delivery_papers_subscriber_id_fkey;
