-- Each device's energy per plant-local month, ordered by month: live state reads this month's and
-- the last one's at start without touching older history. Size: devices x months.
CREATE TABLE IF NOT EXISTS device_monthly_energy (
  month Date,
  sn String,
  kwh Float64
) ENGINE = SummingMergeTree
ORDER BY (month, sn)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_monthly_energy_mv TO device_monthly_energy AS
SELECT toStartOfMonth(local_date) AS month, sn, sum(e_delta_kwh) AS kwh
FROM telemetry
GROUP BY month, sn;

-- Backfill once, as in 011.
INSERT INTO device_monthly_energy
SELECT toStartOfMonth(local_date) AS month, sn, sum(day_kwh)
FROM (
  SELECT sn, local_date, max(e_today_max) AS day_kwh
  FROM device_daily
  GROUP BY sn, local_date
)
WHERE (SELECT count() FROM device_monthly_energy) = 0
GROUP BY month, sn;
