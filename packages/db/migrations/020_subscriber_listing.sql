-- Operators page through readers and suppressions newest first, optionally by status; keyset
-- pagination on (created_at, id) stays fast however deep the page.
CREATE INDEX subscribers_listing ON subscribers (status, created_at DESC, id DESC);
CREATE INDEX subscribers_newest ON subscribers (created_at DESC, id DESC);
CREATE INDEX suppressions_newest ON suppressions (created_at DESC, email_hash DESC);
