-- Each plant's power in 5-minute UTC buckets, kept 3 days: enough for any tenant's local
-- "today" curve after a restart. A plant's bucket is the sum of its devices' last power in the
-- bucket; ingest works out how much each record changes that (p_delta_w, see 002), so the
-- rollup is a plain sum. Size: plants x 864.
CREATE TABLE IF NOT EXISTS plant_power_5min (
  bucket DateTime('UTC'),
  plant_id String,
  power_w Float64
) ENGINE = SummingMergeTree
PARTITION BY toDate(bucket)
ORDER BY (bucket, plant_id)
TTL bucket + INTERVAL 3 DAY
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS plant_power_5min_mv TO plant_power_5min AS
SELECT toStartOfFiveMinutes(ts) AS bucket, plant_id, sum(p_delta_w) AS power_w
FROM telemetry
WHERE p_delta_w != 0 AND ts >= now() - INTERVAL 3 DAY
GROUP BY bucket, plant_id;
