-- Which batch ids were stored, per submitting scope, with a hash of their records: a repeat
-- with the same records is answered "duplicate", a repeat with other records is refused.
CREATE TABLE IF NOT EXISTS ingest_batches (
  scope String,
  batch_id String,
  records_hash String,
  accepted UInt32,
  rejected String,
  received_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (scope, batch_id)
TTL toDateTime(received_at) + INTERVAL 30 DAY;
