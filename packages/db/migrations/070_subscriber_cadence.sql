-- How often a reader wants their digest: every day, or once a week on an ISO weekday
-- (1 = Monday … 7 = Sunday; kept, unused, while daily). Sign-up records it; planning weekly
-- digests is its own change. IF NOT EXISTS: the weekly-cadence work adds the same two columns,
-- with the same names, types and defaults, so whichever migration runs second changes nothing.
ALTER TABLE subscribers ADD COLUMN IF NOT EXISTS cadence text NOT NULL DEFAULT 'daily'
  CHECK (cadence IN ('daily', 'weekly'));
ALTER TABLE subscribers ADD COLUMN IF NOT EXISTS weekday smallint NOT NULL DEFAULT 1
  CHECK (weekday BETWEEN 1 AND 7);
