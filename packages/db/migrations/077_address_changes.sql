-- A reader's request to move their digests to another address, confirmed from that address.
-- One open request per reader: a new request replaces the old one (its link stops working).
CREATE TABLE address_changes (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subscriber_id uuid NOT NULL UNIQUE REFERENCES subscribers (id) ON DELETE CASCADE,
  new_email     text NOT NULL,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  -- When a confirmation mail last went out for this reader: bounds what a reader (or a stolen
  -- manage link) can make us send to addresses that never asked for anything.
  mail_sent_at  timestamptz,
  confirmed_at  timestamptz,
  -- Kept after confirming only so the notice can go to the address the digests left.
  old_email     text
);
