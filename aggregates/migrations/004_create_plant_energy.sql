-- Plant energy by plant-local day, month and year: sums of e_delta_kwh (see 002). Sizes:
-- plants x days, plants x months, plants x years. A tenant's figures sum its subtree's plants.
-- Months and years are fed from the daily table's inserted blocks, already summed per plant and
-- date, so ingest pays for one pass over the raw rows, not three.
CREATE TABLE IF NOT EXISTS plant_daily_energy (
  plant_id String,
  local_date Date,
  kwh Float64
) ENGINE = SummingMergeTree
ORDER BY (plant_id, local_date)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS plant_daily_energy_mv TO plant_daily_energy AS
SELECT plant_id, local_date, sum(e_delta_kwh) AS kwh
FROM telemetry
GROUP BY plant_id, local_date;

CREATE TABLE IF NOT EXISTS plant_monthly_energy (
  plant_id String,
  month Date,
  kwh Float64
) ENGINE = SummingMergeTree
ORDER BY (plant_id, month)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS plant_monthly_energy_mv TO plant_monthly_energy AS
SELECT plant_id, toStartOfMonth(local_date) AS month, sum(kwh) AS kwh
FROM plant_daily_energy
GROUP BY plant_id, month;

CREATE TABLE IF NOT EXISTS plant_yearly_energy (
  plant_id String,
  year UInt16,
  kwh Float64
) ENGINE = SummingMergeTree
ORDER BY (plant_id, year)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS plant_yearly_energy_mv TO plant_yearly_energy AS
SELECT plant_id, toYear(month) AS year, sum(kwh) AS kwh
FROM plant_monthly_energy
GROUP BY plant_id, year;
