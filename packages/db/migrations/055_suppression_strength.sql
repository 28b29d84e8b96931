-- Suppressions that hold. Each reason has a strength; the strongest reason an address ever earned
-- stays until an operator lifts it. Only the reader's own reasons (unsubscribed, erased) may be
-- lifted by the reader confirming a new sign-up; bounces, complaints and operator blocks never.
-- A new reason (e.g. from bounce processing) is one INSERT here, with the strength it deserves.
CREATE TABLE suppression_reasons (
  reason          text PRIMARY KEY,
  strength        smallint NOT NULL UNIQUE,
  -- true: a fresh double opt-in of the same address lifts it (the reader's own decision);
  -- false: it blocks confirmation mails too, and only the admin API lifts it.
  reader_may_lift boolean NOT NULL,
  meaning         text NOT NULL
);
INSERT INTO suppression_reasons (reason, strength, reader_may_lift, meaning) VALUES
  ('complaint',    50, false, 'the recipient marked our mail as spam'),
  ('hard-bounce',  40, false, 'the receiving server said the mailbox does not exist or refuses us'),
  ('manual',       30, false, 'an operator blocked the address'),
  ('unsubscribed', 20, true,  'the reader unsubscribed'),
  ('erased',       10, true,  'the reader erased their data');

ALTER TABLE suppressions DROP CONSTRAINT IF EXISTS suppressions_reason_check;
ALTER TABLE suppressions
  ADD CONSTRAINT suppressions_reason_known FOREIGN KEY (reason) REFERENCES suppression_reasons (reason);

-- What happened to an address's suppression and who did it: the audit trail of lifts above all.
CREATE TABLE suppression_events (
  id              bigserial PRIMARY KEY,
  email_hash      text NOT NULL,
  action          text NOT NULL CHECK (action IN ('suppressed', 'strengthened', 'lifted')),
  reason          text NOT NULL,
  previous_reason text,
  -- 'system' (mailer, bounce processing), 'reader' (their own links), 'admin' (the admin API).
  actor           text NOT NULL CHECK (actor IN ('system', 'reader', 'admin')),
  detail          text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppression_events_by_address ON suppression_events (email_hash, id DESC);

-- The one way a suppression is added: never replaces a reason with one of equal or lower strength.
-- Returns the reason in force afterwards.
CREATE FUNCTION paperboy_suppress(p_hash text, p_reason text, p_detail text, p_actor text) RETURNS text
  LANGUAGE plpgsql AS $$
DECLARE
  current_reason text;
BEGIN
  LOOP
    INSERT INTO suppressions (email_hash, reason, detail) VALUES (p_hash, p_reason, p_detail)
      ON CONFLICT (email_hash) DO NOTHING;
    IF FOUND THEN
      INSERT INTO suppression_events (email_hash, action, reason, actor, detail)
        VALUES (p_hash, 'suppressed', p_reason, p_actor, p_detail);
      RETURN p_reason;
    END IF;
    SELECT reason INTO current_reason FROM suppressions WHERE email_hash = p_hash FOR UPDATE;
    -- Lifted between our INSERT and SELECT: try the INSERT again.
    CONTINUE WHEN current_reason IS NULL;
    IF (SELECT strength FROM suppression_reasons WHERE reason = p_reason)
       > (SELECT strength FROM suppression_reasons WHERE reason = current_reason) THEN
      UPDATE suppressions SET reason = p_reason, detail = p_detail, created_at = now()
        WHERE email_hash = p_hash;
      INSERT INTO suppression_events (email_hash, action, reason, previous_reason, actor, detail)
        VALUES (p_hash, 'strengthened', p_reason, current_reason, p_actor, p_detail);
      RETURN p_reason;
    END IF;
    RETURN current_reason;
  END LOOP;
END
$$;

-- Lifts a suppression and records who did it. p_reader_only: only reasons the reader may lift.
-- Returns the lifted reason, or null when nothing (liftable) was there.
CREATE FUNCTION paperboy_lift_suppression(p_hash text, p_actor text, p_note text, p_reader_only boolean)
  RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  lifted_reason text;
BEGIN
  DELETE FROM suppressions s
    WHERE s.email_hash = p_hash
      AND (NOT p_reader_only OR (SELECT reader_may_lift FROM suppression_reasons r WHERE r.reason = s.reason))
    RETURNING s.reason INTO lifted_reason;
  IF lifted_reason IS NOT NULL THEN
    INSERT INTO suppression_events (email_hash, action, reason, actor, detail)
      VALUES (p_hash, 'lifted', lifted_reason, p_actor, p_note);
  END IF;
  RETURN lifted_reason;
END
$$;
