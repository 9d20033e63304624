-- Tenants, rooms, members with roles and read state, messages with a gapless per-room seq.

CREATE TABLE tenants (
  id         text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rooms (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants (id),
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('group', 'direct', 'public')),
  -- optimistic: members see the message at once, then its confirmation; persist_first: once, durable.
  delivery   text NOT NULL DEFAULT 'optimistic' CHECK (delivery IN ('optimistic', 'persist_first')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The last seq handed out; incremented under the row lock by the insert that takes the next one.
  last_seq   bigint NOT NULL DEFAULT 0
);
CREATE INDEX rooms_by_tenant_kind ON rooms (tenant_id, kind);

CREATE TABLE room_members (
  room_id       text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id       text NOT NULL,
  role          text NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
  joined_at     timestamptz NOT NULL DEFAULT now(),
  last_read_seq bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_by_user ON room_members (user_id);

CREATE TABLE messages (
  room_id       text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  seq           bigint NOT NULL,
  id            uuid NOT NULL UNIQUE,
  client_msg_id text NOT NULL,
  sender_id     text NOT NULL,
  sender_name   text,
  body          text NOT NULL,
  reply_to      uuid,
  meta          jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  edited_at     timestamptz,
  deleted       boolean NOT NULL DEFAULT false,
  -- Keyset paging and recovery read by (room_id, seq).
  PRIMARY KEY (room_id, seq),
  -- The idempotency key: a retried send never makes a second row.
  CONSTRAINT messages_client_msg_id UNIQUE (room_id, client_msg_id)
);
