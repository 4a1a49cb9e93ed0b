-- Forecasts still open, by the year their horizon ends and by forecaster.
-- Run: duckdb output/dataset.duckdb < queries/open_forecasts.sql
SELECT year(f.horizon_end) AS horizon_year,
       coalesce(a.name, f.forecaster_actor_id, '(unattributed)') AS forecaster,
       f.metric,
       f.target,
       f.comparator,
       f.value_low,
       f.value_high,
       f.unit,
       f.horizon_start,
       f.horizon_end,
       f.hedge,
       f.forecast_id
FROM forecasts f
LEFT JOIN actors a ON a.actor_id = f.forecaster_actor_id
WHERE f.resolution_status = 'open'
ORDER BY horizon_year NULLS LAST, forecaster, f.metric, f.forecast_id;
