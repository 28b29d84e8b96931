-- How often a reader wants their digest: every day, or once a week on an ISO weekday
-- (1 = Monday … 7 = Sunday). Sign-up records it; planning weekly digests is its own change.
-- IF NOT EXISTS: the weekly-cadence work adds the same two columns under the same names, so
-- whichever migration runs second must not fail.
ALTER TABLE subscribers ADD COLUMN IF NOT EXISTS cadence text NOT NULL DEFAULT 'daily'
  CHECK (cadence IN ('daily', 'weekly'));
ALTER TABLE subscribers ADD COLUMN IF NOT EXISTS weekday smallint CHECK (weekday BETWEEN 1 AND 7);
