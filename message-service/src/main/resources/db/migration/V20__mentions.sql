-- Mentions (docs/protocol.md, "Mentions"): `@userId` and `@room` in a message's body, kept with the
-- message as {"users": [userId], "room": true?}, null when it mentions nobody.
--
-- Decided where the message is written (persist_messages, R__persist_messages.sql; an edit,
-- Sql.EDIT_MESSAGE), by message_mentions below, so every writer (sockets, the bus, the HTTP API)
-- gets the same answer and reading a message costs nothing more. Only members of the room at that
-- moment are mentioned, and never the sender: "@bob" for a bob who is not in the room is plain text.
ALTER TABLE messages ADD COLUMN mentions jsonb;

-- A user's mentions across their rooms (list-mentions, the digest): containment of
-- {"users": [me]} or {"room": true}. Partial: most messages mention nobody.
CREATE INDEX messages_mentions ON messages USING gin (mentions jsonb_path_ops) WHERE mentions IS NOT NULL;
-- A room's unread mentions (list-rooms, join-room): the mentioning messages after a read position.
CREATE INDEX messages_mentioning ON messages (room_id, seq) WHERE mentions IS NOT NULL;

-- The mentions of a body written into p_room by p_sender. A token is `@` at the start of the body or
-- after white space, then visible ASCII (a user id's characters, docs/protocol.md section 2); a
-- token's trailing punctuation (. , ; : ! ? ) ] } ' ") is also tried without it, so "thanks
-- @bob!" mentions bob. `@room` always means the room, whatever its members' ids. Called only for
-- bodies with an `@` (the callers check), one probe of room_members' primary key per token.
CREATE FUNCTION message_mentions(p_room text, p_sender text, p_body text) RETURNS jsonb
  LANGUAGE sql STABLE
AS $$
  WITH tokens AS (
    SELECT t[1] AS token FROM regexp_matches(p_body, '(?:^|\s)@([!-~]{1,128})', 'g') AS t
  ), candidates AS (
    SELECT token AS c FROM tokens
     UNION
    SELECT rtrim(token, '.,;:!?)]}''"') FROM tokens
  ), users AS (
    SELECT m.user_id FROM room_members m
     WHERE m.room_id = p_room AND m.user_id IN (SELECT c FROM candidates WHERE c <> 'room') AND m.user_id <> p_sender
  ), found AS (
    SELECT (SELECT jsonb_agg(u.user_id ORDER BY u.user_id) FROM users u) AS users,
           EXISTS (SELECT 1 FROM candidates WHERE c = 'room') AS room
  )
  SELECT CASE WHEN f.users IS NULL AND NOT f.room THEN NULL
              WHEN f.room THEN jsonb_build_object('users', coalesce(f.users, '[]'::jsonb), 'room', true)
              ELSE jsonb_build_object('users', f.users) END
    FROM found f;
$$;
