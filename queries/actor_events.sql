-- One actor's events, its role in each, and the counterparts: the other actors and their roles.
-- Choose the actor first with `SET VARIABLE actor_id = 'nvidia';` (default: us-government).
-- Run: duckdb output/dataset.duckdb -cmd "SET VARIABLE actor_id = 'nvidia'" < queries/actor_events.sql
WITH chosen AS (
    SELECT coalesce(getvariable('actor_id'), 'us-government') AS actor_id
)
SELECT e.event_date,
       e.event_type,
       e.status,
       ea.role,
       e.summary,
       string_agg(other.name || ' (' || oa.role || ')', ', ' ORDER BY oa.role, other.name)
           FILTER (WHERE other.actor_id IS NOT NULL) AS counterparts,
       e.event_id
FROM chosen
JOIN event_actors ea ON ea.actor_id = chosen.actor_id
JOIN events e ON e.event_id = ea.event_id
LEFT JOIN event_actors oa ON oa.event_id = e.event_id AND oa.actor_id <> chosen.actor_id
LEFT JOIN actors other ON other.actor_id = oa.actor_id
GROUP BY ALL
ORDER BY e.event_date NULLS LAST, e.event_type, e.event_id;
