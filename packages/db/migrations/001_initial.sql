-- The paper store, subscribers, and the delivery ledger that makes each digest exactly-once.

-- array_to_string is only STABLE, and a generated column needs IMMUTABLE; joining words is immutable in practice.
CREATE FUNCTION paperboy_words(words text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(words, ' ') $$;

CREATE TABLE papers (
  id            text PRIMARY KEY,
  arxiv_id      text UNIQUE,
  title         text NOT NULL,
  abstract      text NOT NULL DEFAULT '',
  authors       text[] NOT NULL DEFAULT '{}',
  links         jsonb NOT NULL DEFAULT '{}',
  upvotes       integer,
  comments      integer,
  github_stars  integer,
  ai_summary    text,
  ai_keywords   text[] NOT NULL DEFAULT '{}',
  categories    text[] NOT NULL DEFAULT '{}',
  published_at  timestamptz,
  trending_date date,
  withdrawn     boolean NOT NULL DEFAULT false,
  sources       text[] NOT NULL DEFAULT '{}',
  -- The record as each source sent it, keyed by source, for re-processing later.
  raw           jsonb NOT NULL DEFAULT '{}',
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  search        tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', paperboy_words(ai_keywords)), 'B') ||
    setweight(to_tsvector('english', abstract), 'C')
  ) STORED
);
CREATE INDEX papers_search ON papers USING gin (search);
CREATE INDEX papers_recent ON papers ((coalesce(trending_date, (first_seen_at AT TIME ZONE 'UTC')::date)) DESC);

CREATE TABLE subscribers (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email                text NOT NULL UNIQUE,
  -- sha256 of the normalised address: what suppressions match on, so an erased reader leaves no address.
  email_hash           text NOT NULL,
  status               text NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
  topics               text[] NOT NULL DEFAULT '{}',
  timezone             text NOT NULL DEFAULT 'UTC',
  send_hour            smallint NOT NULL DEFAULT 8 CHECK (send_hour BETWEEN 0 AND 23),
  paper_count          smallint NOT NULL DEFAULT 10 CHECK (paper_count BETWEEN 3 AND 25),
  -- Bumping the version revokes every link token issued before.
  token_version        integer NOT NULL DEFAULT 1,
  paused_until         timestamptz,
  confirmation_sent_at timestamptz,
  confirmed_at         timestamptz,
  unsubscribed_at      timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscribers_active ON subscribers (id) WHERE status = 'active';
CREATE INDEX subscribers_email_hash ON subscribers (email_hash);

CREATE TABLE suppressions (
  email_hash text PRIMARY KEY,
  reason     text NOT NULL CHECK (reason IN ('unsubscribed', 'hard-bounce', 'complaint', 'manual', 'erased')),
  detail     text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One rendering shared by every reader whose selection is the same; personal links are placeholders.
CREATE TABLE digest_editions (
  id               text PRIMARY KEY,
  edition_date     date NOT NULL,
  template_version text NOT NULL,
  subject          text NOT NULL,
  html             text NOT NULL,
  text             text NOT NULL,
  paper_ids        text[] NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX digest_editions_date ON digest_editions (edition_date DESC);

CREATE TABLE deliveries (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subscriber_id uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  local_date    date NOT NULL,
  status        text NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'composed', 'sent', 'skipped', 'failed')),
  edition_id    text REFERENCES digest_editions (id),
  message_id    text,
  skip_reason   text,
  last_error    text,
  send_attempts integer NOT NULL DEFAULT 0,
  planned_at    timestamptz NOT NULL DEFAULT now(),
  composed_at   timestamptz,
  sent_at       timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- BullMQ is at-least-once: this constraint is what makes a digest exactly-once per reader and day.
  UNIQUE (subscriber_id, local_date)
);
CREATE INDEX deliveries_unfinished ON deliveries (updated_at) WHERE status IN ('planned', 'composed');

CREATE TABLE delivery_papers (
  delivery_id    uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  subscriber_id  uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  paper_id       text NOT NULL REFERENCES papers (id),
  position       smallint NOT NULL,
  matched_topics text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (delivery_id, paper_id),
  -- Never a paper twice to the same reader.
  UNIQUE (subscriber_id, paper_id)
);
