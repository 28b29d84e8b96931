-- delivery_papers.paper_id no longer references papers. Papers are never deleted (a withdrawal is
-- a flag, papers.withdrawn), and composing only records papers it has just selected from that
-- table, so the check never caught anything; its cost was paid on every row of the daily path:
-- each of a digest's ~10 rows ran a foreign-key query taking FOR KEY SHARE on its paper, and as
-- every composer records the same few hundred papers of the day, concurrent composers' share
-- locks on one paper row became MultiXacts, created and looked up again at each new locker.
ALTER TABLE delivery_papers DROP CONSTRAINT delivery_papers_paper_id_fkey;
