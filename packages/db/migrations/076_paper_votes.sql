-- "More like this" / "less like this": one vote per reader and paper, the latest direction wins.
CREATE TABLE paper_votes (
  subscriber_id uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  paper_id      text NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  direction     smallint NOT NULL CHECK (direction IN (-1, 1)),
  voted_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscriber_id, paper_id)
);

-- What the votes taught: a few full-text lexemes per reader with a weight in [-1, 1], rebuilt from
-- paper_votes after every vote (reader-profile.repository.ts). Ranking joins these against the
-- lexemes of the day's candidate papers. `label` is a word from the voted papers that stems to
-- the lexeme, for the preference centre ("diffusion" rather than "diffus").
CREATE TABLE reader_terms (
  subscriber_id uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  lexeme        text NOT NULL,
  weight        double precision NOT NULL CHECK (weight BETWEEN -1 AND 1),
  label         text NOT NULL,
  PRIMARY KEY (subscriber_id, lexeme)
);
