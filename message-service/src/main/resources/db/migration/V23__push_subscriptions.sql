-- Web Push (docs/protocol.md "Web Push", docs/operations.md "Web Push").
--
-- push_subscriptions: a browser's subscription (PushSubscription.toJSON()), a user's in a tenant.
-- An endpoint is one browser's: registered again (by the same user or, after a switch of account in
-- that browser, another) it is the same row, with the keys and user of the last registration. At
-- most 10 per user (the oldest goes, PushSubscriptions). Identifiers compare byte by byte
-- (COLLATE "C"), as everywhere since V6.
CREATE TABLE push_subscriptions (
  id         uuid PRIMARY KEY,
  tenant_id  text COLLATE "C" NOT NULL,
  user_id    text COLLATE "C" NOT NULL,
  endpoint   text NOT NULL,
  p256dh     text NOT NULL,
  auth       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, endpoint)
);
-- The dispatcher's lookup (the recipients' subscriptions), the per-user bound, and persist_messages'
-- probe (does the tenant have any subscription?) on its leading column.
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (tenant_id, user_id, created_at);

-- push_deliveries: one push message to one subscription, made from a webhook_outbox row (the same
-- outbox as the webhooks: written with the message, expanded once the members' presence is known).
-- payload is the clear JSON; it is encrypted for the subscription's keys at each attempt (a new salt
-- and key each time, RFC 8291). A delivery in flight holds a lease (lease_until), as webhooks do.
-- Delivered ones are deleted; dead ones are kept a week to look into.
CREATE TABLE push_deliveries (
  id              uuid PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
  payload         text NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,
  last_status     int,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX push_deliveries_due ON push_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX push_deliveries_subscription ON push_deliveries (subscription_id);
CREATE INDEX push_deliveries_dead ON push_deliveries (finished_at) WHERE state = 'dead';
