-- A repeated batch_id is compared with the rows stored under it, not with a hash of the first
-- try's bytes: hashing every batch cost more than comparing the rare retry.
ALTER TABLE ingest_batches DROP COLUMN IF EXISTS records_hash;
