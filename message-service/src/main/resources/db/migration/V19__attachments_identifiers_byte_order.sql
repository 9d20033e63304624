-- The attachments' identifiers compare byte by byte, as every other table's since V6 (COLLATE "C"):
-- the same order and equality as the rooms and members they are joined with, and no
-- locale-dependent comparison. The table is small (one row per upload): rewriting it is quick.

ALTER TABLE attachments
  ALTER COLUMN tenant_id TYPE text COLLATE "C",
  ALTER COLUMN room_id TYPE text COLLATE "C",
  ALTER COLUMN uploader_id TYPE text COLLATE "C";
