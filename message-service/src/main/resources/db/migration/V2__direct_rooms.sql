-- A direct room between two users is created once: its key is the two user ids, sorted.
ALTER TABLE rooms ADD COLUMN direct_key text;
CREATE UNIQUE INDEX rooms_direct_key ON rooms (tenant_id, direct_key) WHERE direct_key IS NOT NULL;
