-- A reader's topic as a full-text query over papers.search (title A, keywords B, abstract C).
-- Plain words and phrases: all words, in order ("label smoothing" does not match a paper that only
-- mentions labels and smoothing apart). Quotes, OR and -word: web-search syntax for those who want it.
-- A hyphenated topic also matches the words written apart or joined, because authors spell
-- "super-resolution", "super resolution" and "superresolution" interchangeably.
CREATE FUNCTION paperboy_topic_query(topic text) RETURNS tsquery
  LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN topic ~ '"' OR topic ~ '(^|\s)-\S' OR topic ~* '\sor\s' THEN websearch_to_tsquery('english', topic)
    WHEN topic ~ '\w-\w' THEN phraseto_tsquery('english', topic)
      || phraseto_tsquery('english', replace(topic, '-', ' '))
      || phraseto_tsquery('english', replace(topic, '-', ''))
    ELSE phraseto_tsquery('english', topic)
  END
$$;
