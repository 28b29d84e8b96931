-- Mailbox providers treat addresses case-insensitively: Ada@example.org and ada@example.org are one
-- reader, so they must be one row. The address is kept as the reader typed it, for sending.
ALTER TABLE subscribers DROP CONSTRAINT subscribers_email_key;
CREATE UNIQUE INDEX subscribers_email_lower ON subscribers (lower(email));
