-- Events ranked by how often they are reported: reports, distinct documents and publishers.
-- Run: duckdb output/dataset.duckdb < queries/most_reported_events.sql
SELECT e.event_id,
       e.event_type,
       e.event_date,
       e.summary,
       count(*) AS reports,
       count(DISTINCT r.doc_id) AS documents,
       string_agg(DISTINCT d.publisher, ', ' ORDER BY d.publisher) AS publishers,
       min(d.published_date) AS first_published
FROM events e
JOIN event_reports r ON r.event_id = e.event_id
JOIN documents d ON d.doc_id = r.doc_id
GROUP BY ALL
ORDER BY reports DESC, documents DESC, e.event_date NULLS LAST, e.event_id
LIMIT 50;
