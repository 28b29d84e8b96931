-- Retention (RETENTION_DAYS) deletes old deliveries. What a reader was sent must outlive them:
-- delivery_papers is what keeps a paper from reaching a reader twice, so its rows stay (a few
-- dozen bytes per paper sent) and no longer follow their delivery. Erasing a reader still removes
-- them, through subscriber_id.
ALTER TABLE delivery_papers DROP CONSTRAINT delivery_papers_delivery_id_fkey;

-- The retention job finds old rows by these, a batch at a time.
CREATE INDEX deliveries_local_date ON deliveries (local_date);
CREATE INDEX deliveries_edition ON deliveries (edition_id) WHERE edition_id IS NOT NULL;
