-- Outbound webhooks (docs/operations.md, "Webhooks"; docs/architecture.md, "Webhooks").
--
-- Identifiers compare byte by byte (COLLATE "C"), as everywhere since V6: the batched write compares
-- rooms.tenant_id with webhook_endpoints.tenant_id, and under another collation it could not use the
-- index (a disabled sequential scan there pushed the write's plan over the JIT threshold: 500 times
-- slower).
--
-- webhook_endpoints: per tenant, where to POST and which events. secret signs every request;
-- previous_secret, until previous_expires_at, signs it too, so that a receiver can switch secrets
-- without losing a request (rotation with two valid secrets).
CREATE TABLE webhook_endpoints (
  id                  uuid PRIMARY KEY,
  tenant_id           text COLLATE "C" NOT NULL,
  url                 text NOT NULL,
  events              text[] NOT NULL,
  secret              text NOT NULL,
  previous_secret     text,
  previous_expires_at timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);
-- The batched write probes it once per room of a batch: is any endpoint of the room's tenant listening?
CREATE INDEX webhook_endpoints_by_tenant ON webhook_endpoints (tenant_id);

-- webhook_outbox: what happened, to be told, written in the transaction that made it happen:
-- - message.created: a message stored in a room whose tenant has an endpoint for it, written by
--   persist_messages (R__persist_messages.sql);
-- - room.changed: a change of a room or its members (a room_audit row, V8) in a tenant with an
--   endpoint for it, written by the trigger below (changes are rare; messages are not, so they take
--   no trigger).
-- The dispatcher expands a row into deliveries (one per endpoint; for a message, with the members
-- who are offline then) and deletes it, in one transaction.
CREATE TABLE webhook_outbox (
  id         bigserial PRIMARY KEY,
  tenant_id  text COLLATE "C" NOT NULL,
  room_id    text COLLATE "C" NOT NULL,
  event      text NOT NULL DEFAULT 'message.created',
  message_id uuid,
  audit_id   bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION webhook_room_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = NEW.tenant_id AND 'room.changed' = ANY (e.events)) THEN
    INSERT INTO webhook_outbox (tenant_id, room_id, event, audit_id) VALUES (NEW.tenant_id, NEW.room_id, 'room.changed', NEW.id);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER room_audit_webhooks AFTER INSERT ON room_audit FOR EACH ROW EXECUTE FUNCTION webhook_room_changed();

-- webhook_deliveries: one request to make to one endpoint. id is the event id the receiver
-- deduplicates by: it stays the same over retries and redelivery. payload is the exact body signed.
-- A delivery in flight holds a lease (lease_until); a dispatcher that dies leaves it to expire and
-- another attempt follows (at least once).
CREATE TABLE webhook_deliveries (
  id              uuid PRIMARY KEY,
  endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event           text NOT NULL,
  payload         text NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,
  last_status     int,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (endpoint_id, finished_at) WHERE state = 'dead';
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE state = 'delivered';
