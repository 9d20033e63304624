-- Retention (docs/operations.md, "Retention"): a room keeps its messages retention_days days (0: as
-- its tenant, RETENTION_DAYS / TENANT_RETENTION_DAYS). The job deletes a room's oldest messages in
-- batches by seq (the primary key) and records the highest seq it deleted in expired_seq, which joins
-- tell clients so that they do not take the missing history for a gap.

ALTER TABLE rooms ADD COLUMN retention_days integer NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN expired_seq bigint NOT NULL DEFAULT 0;
