-- Sends travel in batches: each composed delivery remembers the send job that carries it, so
-- recovery can look that job up by id (as compose_job does for planned ones) instead of keeping
-- one job per delivery in Redis.
ALTER TABLE deliveries ADD COLUMN send_job text;
