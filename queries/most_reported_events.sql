-- Events ranked by how often they are reported: reports, documents, independent sources and publishers.
-- Run: duckdb output/dataset.duckdb < queries/most_reported_events.sql
-- Reports are counted per event first; publishers are gathered for the 50 shown only.
WITH counted AS (
  SELECT event_id, count(*) AS reports FROM event_reports GROUP BY event_id
), top AS (
  SELECT e.*, c.reports
  FROM events e
  JOIN counted c ON c.event_id = e.event_id
  ORDER BY c.reports DESC, e.n_documents DESC, e.event_date NULLS LAST, e.event_id
  LIMIT 50
)
SELECT t.event_id,
       t.event_type,
       t.event_date,
       t.summary,
       t.reports,
       t.n_documents AS documents,
       t.n_sources AS sources,
       (SELECT string_agg(DISTINCT r.publisher, ', ' ORDER BY r.publisher)
        FROM event_reports r WHERE r.event_id = t.event_id) AS publishers,
       t.first_reported_date AS first_published
FROM top t
ORDER BY t.reports DESC, t.n_documents DESC, t.event_date NULLS LAST, t.event_id;
