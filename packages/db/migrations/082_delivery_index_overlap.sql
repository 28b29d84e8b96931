-- deliveries_by_date (local_date, status) already serves every lookup by local_date (retention's
-- `local_date < …` included), so deliveries_local_date only cost writes: every delivery is
-- inserted once and updated three or four times (planned → composed → sending → sent), and as
-- status is indexed none of those updates is HOT, so each wrote an entry into this index too.
DROP INDEX IF EXISTS deliveries_local_date;
