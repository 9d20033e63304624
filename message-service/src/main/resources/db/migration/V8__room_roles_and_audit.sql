-- Rooms people run: roles owner, admin, member (exactly one owner per room), a room's topic and
-- archive, and the audit of every change of them (docs/protocol.md, "Membership and roles").
--
-- Existing rooms: their creator becomes the owner; everyone else is a member. Until now the creator
-- was a room's only admin, so only the creators' rows change, found by the primary key.

ALTER TABLE room_members DROP CONSTRAINT room_members_role_check;
ALTER TABLE room_members ADD CONSTRAINT room_members_role_check CHECK (role IN ('owner', 'admin', 'member'));

UPDATE room_members m SET role = 'owner'
  FROM rooms r
 WHERE m.room_id = r.id AND m.user_id = r.created_by AND m.role <> 'owner';
UPDATE room_members SET role = 'member' WHERE role = 'admin';

-- A room has at most one owner: a transfer demotes the old owner before it promotes the new one.
CREATE UNIQUE INDEX room_members_one_owner ON room_members (room_id) WHERE role = 'owner';

-- A room's topic, and when it was archived (read-only: no message is stored into it) if it is.
ALTER TABLE rooms ADD COLUMN topic text, ADD COLUMN archived_at timestamptz;

-- Who may not join a room nor be added to it, until unbanned.
CREATE TABLE room_bans (
  room_id   text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id   text COLLATE "C" NOT NULL,
  banned_by text COLLATE "C" NOT NULL,
  banned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, user_id)
);

-- Invitations: a link token admits its bearer to the room while it lives, for its uses. Only the
-- token's SHA-256 is kept; revoking deletes the row.
CREATE TABLE room_invites (
  token_hash bytea PRIMARY KEY,
  room_id    text COLLATE "C" NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  created_by text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- Null: any number of uses.
  uses_left  int
);
CREATE INDEX room_invites_by_room ON room_invites (room_id);

-- Who changed which room's members, how, and when; written in the change's transaction. No foreign
-- key to rooms: the audit outlives what it describes.
CREATE TABLE room_audit (
  id         bigserial PRIMARY KEY,
  room_id    text COLLATE "C" NOT NULL,
  tenant_id  text COLLATE "C" NOT NULL,
  actor_id   text COLLATE "C" NOT NULL,
  action     text NOT NULL,
  -- The members concerned: [{userId, role, previous}]; for a change of the room itself, [] and its
  -- new settings in detail.
  members    jsonb NOT NULL,
  detail     jsonb,
  -- The seq of the system message that records the change in the room's history.
  seq        bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX room_audit_by_room ON room_audit (room_id, id);
