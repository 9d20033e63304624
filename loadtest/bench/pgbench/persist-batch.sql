-- A 256-message batch of persist_messages over 1000 rooms (pgbench -M prepared -f persist-batch.sql).
-- Needs the schema (message-service migrations) and rooms 'room-1'..'room-1000'.
\set b random(1, 1000000000)
select count(*) from persist_messages(
 (select array_agg('room-'||(1+ (g*7+:b) % 1000)) from generate_series(1,256) g),
 (select array_agg('c'||:b||'-'||g||'-'||:client_id) from generate_series(1,256) g),
 (select array_agg(gen_random_uuid()) from generate_series(1,256) g),
 (select array_agg('user-'||g) from generate_series(1,256) g),
 (select array_agg('User '||g) from generate_series(1,256) g),
 (select array_agg('hello this is a message body of about sixty characters long..'::text) from generate_series(1,256) g),
 (select array_agg(null::uuid) from generate_series(1,256) g),
 (select array_agg('{"t":1732000000000}'::text) from generate_series(1,256) g));
