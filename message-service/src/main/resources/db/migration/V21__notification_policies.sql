-- Notification policies (docs/protocol.md, "Notifications"): per user, and per room of theirs, what
-- reaches them while they are offline: `all` messages, `mentions` only, or `none`; and muted until a
-- time (nothing at all, mentions included, until then).
--
-- room_id '' is the user's own default, for every room without a row of its own. A room's row with
-- level NULL takes the default's level (it only mutes). The effective policy of a member in a room:
-- the room's level, else the default's, else `all`; muted while either mute lasts.
-- Read by the webhook dispatcher when it expands a message (one probe per member, by primary key).
-- Identifiers compare byte by byte (COLLATE "C"), as everywhere since V6.
CREATE TABLE notification_policies (
  tenant_id   text COLLATE "C" NOT NULL,
  user_id     text COLLATE "C" NOT NULL,
  room_id     text COLLATE "C" NOT NULL DEFAULT '',
  level       text CHECK (level IN ('all', 'mentions', 'none')),
  muted_until timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, room_id),
  CONSTRAINT notification_policies_default_level CHECK (room_id <> '' OR level IS NOT NULL)
);
