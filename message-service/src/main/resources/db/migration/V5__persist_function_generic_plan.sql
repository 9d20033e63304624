-- persist_messages plans its statements once per connection, not once per call.
--
-- PL/pgSQL caches the plans of a function's statements per connection, but by default it builds a
-- new "custom" plan for every call while it judges a generic one no cheaper, and for the batch
-- statement it never does. Planning that statement took about 350 us of Postgres CPU per call,
-- half the cost of a one-message transaction, which is what most writes are at low and moderate
-- load (a lane writes at once when idle): 376-400 instead of 685-725 us of CPU per one-message
-- call (pgbench, this machine), the same or less per 256-message batch.
--
-- A generic plan is chosen with the statistics of the moment and kept until they change: planned
-- on a fresh, empty database it scanned messages sequentially, and kept doing so while the table
-- grew (Postgres CPU went up, not down). These statements only ever look rows up by unique keys,
-- so sequential scans are off for them: their plans use the indexes whatever the statistics say.
ALTER FUNCTION persist_messages(text[], text[], uuid[], text[], text[], text[], uuid[], text[])
  SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION persist_messages(text[], text[], uuid[], text[], text[], text[], uuid[], text[])
  SET enable_seqscan = off;
