-- One-message call of persist_messages (pgbench -M prepared -f persist-one.sql): the write of a lane at
-- low and moderate load. Needs the schema (message-service migrations) and rooms 'room-1'..'room-1000'.
\set b random(1, 1000000000)
\set r random(1, 1000)
select count(*) from persist_messages(array['room-' || :r], array['c' || :b || '-' || :client_id], array[gen_random_uuid()], array['user-1'], array['User 1'], array['hello this is a message body of about sixty characters long..'], array[null::uuid], array['{"t":1732000000000}']);
