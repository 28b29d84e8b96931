-- One row per ingest attempt (a scheduled job, a retry of it, a CLI run, a file import): what an
-- operator reads to see whether last night's papers arrived, and why some did not.
CREATE TABLE ingest_runs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source        text NOT NULL CHECK (source IN ('huggingface', 'arxiv', 'jsonl')),
  -- What asked for it: the daily schedule, the pre-digest refresh, a person (CLI or a queued job).
  trigger       text NOT NULL CHECK (trigger IN ('daily', 'refresh', 'manual', 'cli')),
  -- The Hugging Face day; null for arXiv listings and files.
  day           date,
  -- Human-readable scope: the day, the arXiv categories, or the file name.
  target        text NOT NULL,
  job_id        text,
  attempt       integer NOT NULL DEFAULT 1,
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  fetched       integer NOT NULL DEFAULT 0,
  inserted      integer NOT NULL DEFAULT 0,
  updated       integer NOT NULL DEFAULT 0,
  unchanged     integer NOT NULL DEFAULT 0,
  withdrawn     integer NOT NULL DEFAULT 0,
  skipped       integer NOT NULL DEFAULT 0,
  -- [{position, reason}], capped so one broken file cannot bloat the row; `skipped` is the full count.
  skip_reasons  jsonb NOT NULL DEFAULT '[]',
  error         text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX ingest_runs_recent ON ingest_runs (started_at DESC);
