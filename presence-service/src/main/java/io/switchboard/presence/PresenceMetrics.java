package io.switchboard.presence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.common.presence.PresenceBatch;

/** presence-service's own meters, on {@code /metrics} beside the Vert.x ones. */
final class PresenceMetrics {
  private final Counter batches;
  private final Counter syncs;
  private final Counter updates;
  private final Counter online;
  private final Counter offline;
  private final Counter away;
  private final Counter back;
  private final Counter reaped;

  PresenceMetrics(MeterRegistry registry) {
    batches = Counter.builder("presence.batches").description("Gateway batches applied").register(registry);
    syncs = Counter.builder("presence.syncs").description("Gateway syncs (whole node state) applied").register(registry);
    updates = Counter.builder("presence.updates").description("Connection and room updates applied").register(registry);
    online = Counter.builder("presence.status.changes").tag("status", "online")
        .description("User status transitions announced").register(registry);
    offline = Counter.builder("presence.status.changes").tag("status", "offline")
        .description("User status transitions announced").register(registry);
    away = Counter.builder("presence.status.changes").tag("status", "away")
        .description("User status transitions announced").register(registry);
    back = Counter.builder("presence.status.changes").tag("status", "back")
        .description("User status transitions announced").register(registry);
    reaped = Counter.builder("presence.reaped.connections")
        .description("Connections removed because their gateway's lease ran out").register(registry);
  }

  void applied(PresenceBatch batch) {
    batches.increment();
    updates.increment(batch.updates().size());
    if (batch.sync()) {
      syncs.increment();
    }
  }

  void announced(StatusChange change) {
    (switch (change.status()) {
      case ONLINE -> online;
      case AWAY -> away;
      case BACK -> back;
      case OFFLINE -> offline;
    }).increment();
  }

  void reaped(int connections) {
    reaped.increment(connections);
  }
}
