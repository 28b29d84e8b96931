-- Daily or weekly digests. A weekly reader gets one digest per local ISO week (Monday to Sunday in
-- their own time zone), on `weekday` (1 = Monday … 7 = Sunday) at `send_hour`.
-- IF NOT EXISTS: the sign-up form's branch adds the same two columns with the same meaning.
ALTER TABLE subscribers ADD COLUMN IF NOT EXISTS cadence text NOT NULL DEFAULT 'daily'
  CHECK (cadence IN ('daily', 'weekly'));
ALTER TABLE subscribers ADD COLUMN IF NOT EXISTS weekday smallint NOT NULL DEFAULT 1
  CHECK (weekday BETWEEN 1 AND 7);

-- The idempotency rule, in two keys:
-- * UNIQUE (subscriber_id, local_date) stays: never two digests on one local day, whatever the
--   cadence was when each was planned (switching mid-week cannot double a day).
-- * A weekly delivery is also unique per (subscriber, period_start), period_start being the Monday
--   of its local date's ISO week: one weekly digest per local week, even if the reader moves their
--   weekday within the week. Daily deliveries do not count against the week, so a reader who
--   switches from daily to weekly still gets that week's weekly digest (on a day that has none).
ALTER TABLE deliveries ADD COLUMN cadence text NOT NULL DEFAULT 'daily' CHECK (cadence IN ('daily', 'weekly'));
ALTER TABLE deliveries ADD COLUMN period_start date GENERATED ALWAYS AS (
  CASE WHEN cadence = 'weekly' THEN local_date - (extract(isodow FROM local_date)::int - 1) ELSE local_date END
) STORED;
CREATE UNIQUE INDEX deliveries_one_weekly_per_week ON deliveries (subscriber_id, period_start)
  WHERE cadence = 'weekly';
