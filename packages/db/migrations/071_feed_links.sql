-- A reader's private feed link is revoked on its own ("new feed link") by bumping this, and with
-- every other link by "sign out all links" (token_version): the feed token signs their sum.
ALTER TABLE subscribers ADD COLUMN feed_link_version integer NOT NULL DEFAULT 0;
