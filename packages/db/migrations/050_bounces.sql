-- Every bounce and complaint that reached us (by SMTP to a VERP address, or by webhook), with the
-- message it was about, whether it was understood, and whether it suppressed the address.
CREATE TABLE bounces (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source         text NOT NULL CHECK (source IN ('smtp', 'webhook', 'ses', 'postmark')),
  -- hard: permanent failure; soft: temporary (three in 7 days suppress); complaint: marked as spam;
  -- other: a report that counts for nothing (delivered, relayed); unparsed: stored for a person to read.
  kind           text NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint', 'other', 'unparsed')),
  -- What the message was (digest, confirmation, welcome, notice), from its signed VERP address.
  mail_kind      text CHECK (mail_kind IN ('digest', 'confirmation', 'welcome', 'notice')),
  delivery_id    uuid REFERENCES deliveries (id) ON DELETE SET NULL,
  subscriber_id  uuid REFERENCES subscribers (id) ON DELETE SET NULL,
  -- The suppression key of the address it was about; survives the reader's erasure, like suppressions.
  email_hash     text,
  status         text,
  action         text,
  diagnostic     text,
  -- The report itself, only when it could not be understood (capped), for an operator to read.
  raw            text,
  suppressed     boolean NOT NULL DEFAULT false,
  received_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bounces_newest ON bounces (received_at DESC, id DESC);
CREATE INDEX bounces_soft_recent ON bounces (email_hash, received_at) WHERE kind = 'soft';
CREATE INDEX bounces_delivery ON bounces (delivery_id) WHERE delivery_id IS NOT NULL;
