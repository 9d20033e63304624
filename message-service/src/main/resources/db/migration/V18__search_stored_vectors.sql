-- Message search reads each match's vector to rank it: computed from the body on every read (V13's
-- expression index), ranking a common word's matches took most of a search (tens of thousands of
-- to_tsvector calls). The vector is stored instead, computed once when a message is written or
-- edited, and indexed. Adding a stored generated column rewrites the table under an exclusive lock
-- (about 20 s per million messages on the benchmark machine): run this migration in a quiet hour.

ALTER TABLE messages ADD COLUMN body_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED;
CREATE INDEX messages_body_tsv ON messages USING gin (body_tsv) WHERE NOT deleted;
DROP INDEX messages_search;
