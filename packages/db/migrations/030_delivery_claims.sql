-- A delivery is claimed before it is sent: `sending` with a lease (who, until when), taken in the
-- statement that checks it may go. `sent` is written right after SMTP's 250. A lease that expires in
-- `sending` means the outcome is unknown (the mailer died between claim and record): the delivery
-- is sent again with the same Message-ID and counted in resent_after_crash, or, with
-- ON_UNCERTAIN=skip, recorded `uncertain`. A delivery whose reader's local day passed without a
-- send is `expired`, never sent a day late.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (
  status IN ('planned', 'composed', 'sending', 'sent', 'skipped', 'failed', 'expired', 'uncertain')
);
ALTER TABLE deliveries
  ADD COLUMN lease_owner text,
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN resent_after_crash integer NOT NULL DEFAULT 0,
  -- The compose job that carries a planned delivery, so planning can look it up by id and re-queue
  -- the delivery at once when Redis lost the job (no waiting for the row to look stale).
  ADD COLUMN compose_job text,
  -- Failures about us or the SMTP server (auth, sender, size, connection, 421): never suppress, never
  -- `failed`; the delivery waits and is retried. Kept apart from last_error's free text for operators.
  ADD COLUMN last_failure_class text,
  ADD COLUMN expired_at timestamptz;

-- Recovery pages through every unfinished delivery by id, however many there are.
DROP INDEX deliveries_unfinished;
CREATE INDEX deliveries_unfinished ON deliveries (id) WHERE status IN ('planned', 'composed', 'sending');
-- The admin view of a day's deliveries by status.
CREATE INDEX deliveries_by_date ON deliveries (local_date, status);
