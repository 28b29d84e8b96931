-- Every status change of a delivery (planned → composed → sending → sent) writes a new row version
-- and an entry in each of its indexes. deliveries_local_date duplicates the leading column of
-- deliveries_by_date (local_date, status), which serves retention's range scans just as well.
DROP INDEX IF EXISTS deliveries_local_date;
