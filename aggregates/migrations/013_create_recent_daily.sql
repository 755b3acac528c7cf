-- The last weeks of day energy ordered by date, per device (largest e_today_kwh) and per plant
-- (sum of e_delta_kwh): what live state reads at start. device_daily and plant_daily_energy are
-- ordered by device or plant, so a date range read from them scans every day of history.
-- Kept 62 days (late records older than that land in the full-history tables only).
-- Sizes: devices x 62, plants x 62.
CREATE TABLE IF NOT EXISTS device_recent_daily (
  local_date Date,
  sn String,
  e_today_max SimpleAggregateFunction(max, Float64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(local_date)
ORDER BY (local_date, sn)
TTL local_date + INTERVAL 62 DAY
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_recent_daily_mv TO device_recent_daily AS
SELECT local_date, sn, max(e_today_kwh) AS e_today_max
FROM telemetry
WHERE local_date >= today() - 62
GROUP BY local_date, sn;

CREATE TABLE IF NOT EXISTS plant_recent_daily_energy (
  local_date Date,
  plant_id String,
  kwh Float64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(local_date)
ORDER BY (local_date, plant_id)
TTL local_date + INTERVAL 62 DAY
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS plant_recent_daily_energy_mv TO plant_recent_daily_energy AS
SELECT local_date, plant_id, sum(e_delta_kwh) AS kwh
FROM telemetry
WHERE local_date >= today() - 62
GROUP BY local_date, plant_id;

-- Backfill once, as in 011.
INSERT INTO device_recent_daily
SELECT local_date, sn, max(e_today_max)
FROM device_daily
WHERE local_date >= today() - 62 AND (SELECT count() FROM device_recent_daily) = 0
GROUP BY local_date, sn;

INSERT INTO plant_recent_daily_energy
SELECT local_date, plant_id, sum(kwh)
FROM plant_daily_energy
WHERE local_date >= today() - 62 AND (SELECT count() FROM plant_recent_daily_energy) = 0
GROUP BY local_date, plant_id;
