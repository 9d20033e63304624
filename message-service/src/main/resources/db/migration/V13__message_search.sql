-- Full-text search over messages (docs/protocol.md, "Search"). The 'simple' configuration: words as
-- written, lower-cased, no stemming nor stop words, since rooms talk in any language. An expression
-- index, not a stored column: no table rewrite, and an edit re-indexes the row by itself. Deleted
-- messages (an empty body) stay out of it.

CREATE INDEX messages_search ON messages USING gin (to_tsvector('simple', body)) WHERE NOT deleted;
