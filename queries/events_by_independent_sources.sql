-- Events ranked by independent sources: syndicated copies and light rewrites of one story count once
-- (events.n_sources), beside every document that reports them (events.n_documents) and who published them.
-- Run: duckdb output/dataset.duckdb < queries/events_by_independent_sources.sql
-- The ranking needs the events table alone; publishers are gathered for the 50 shown only.
WITH top AS (
  SELECT *
  FROM events
  ORDER BY n_sources DESC, n_documents DESC, first_reported_date NULLS LAST, event_id
  LIMIT 50
)
SELECT t.event_id,
       t.event_type,
       t.event_date,
       t.summary,
       t.n_sources,
       t.n_documents,
       t.first_reported_date,
       t.last_reported_date,
       (SELECT string_agg(DISTINCT r.publisher, ', ' ORDER BY r.publisher)
        FROM event_reports r WHERE r.event_id = t.event_id) AS publishers
FROM top t
ORDER BY t.n_sources DESC, t.n_documents DESC, t.first_reported_date NULLS LAST, t.event_id;
