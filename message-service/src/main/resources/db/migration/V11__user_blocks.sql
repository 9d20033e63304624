-- Blocks (docs/protocol.md, "Blocks"): a user of a tenant blocks another, for every room. No direct
-- room is created between them; the blocked user's messages reach the blocker as placeholders. Read
-- by the blocker (whom they block: a join, history) and, for a direct room, both ways: the primary
-- key serves both.

CREATE TABLE user_blocks (
  tenant_id  text COLLATE "C" NOT NULL,
  blocker_id text COLLATE "C" NOT NULL,
  blocked_id text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, blocker_id, blocked_id)
);
