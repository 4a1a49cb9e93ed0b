-- Export-control events on a timeline, by the country of the government or agency that acted.
-- One row per event and acting country; undated events come last in each country.
-- Run: duckdb output/dataset.duckdb < queries/export_controls_by_country.sql
SELECT coalesce(a.country, '??') AS country,
       e.event_date,
       e.date_precision,
       e.event_type,
       e.status,
       string_agg(DISTINCT a.name, ', ' ORDER BY a.name) AS initiators,
       e.summary,
       e.event_id
FROM events e
JOIN event_actors ea ON ea.event_id = e.event_id AND ea.role = 'initiator'
JOIN actors a ON a.actor_id = ea.actor_id
WHERE e.event_type IN ('export_control_eased', 'export_control_tightened')
GROUP BY ALL
ORDER BY country, e.event_date NULLS LAST, e.event_type, e.event_id;
