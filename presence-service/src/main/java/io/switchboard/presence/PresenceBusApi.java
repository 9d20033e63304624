package io.switchboard.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.function.Function;

/**
 * presence-service's event-bus API for the gateways: batches applied (and the status transitions
 * they cause announced), leases renewed, connections admitted under the device limit, rooms' online
 * users. Answers are records, or a failure whose code is the {@link ErrorCode}'s bus code.
 */
final class PresenceBusApi {
  private final EventBus bus;
  private final PresenceStore store;
  private final StatusEvents events;
  private final PresenceMetrics metrics;

  PresenceBusApi(EventBus bus, PresenceStore store, StatusEvents events, PresenceMetrics metrics) {
    this.bus = bus;
    this.store = store;
    this.events = events;
    this.metrics = metrics;
  }

  /** Completes once every consumer is registered (cluster-wide when clustered). */
  Future<Void> register() {
    List<MessageConsumer<?>> consumers = List.of(
        bus.<PresenceBatch>consumer(Addresses.PRESENCE_UPDATE, msg -> answer(msg, this::apply)),
        bus.<NodeHeartbeat>consumer(Addresses.PRESENCE_HEARTBEAT, msg -> answer(msg, store::heartbeat)),
        bus.<AdmitRequest>consumer(Addresses.PRESENCE_ADMIT, msg -> answer(msg, this::admit)),
        bus.<PresenceQuery>consumer(Addresses.PRESENCE_QUERY, msg -> answer(msg, this::online)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  /** Applies a gateway's batch and announces its transitions; true when the node was known before. */
  Future<Boolean> apply(PresenceBatch batch) {
    return store.apply(batch).map(outcome -> {
      if (outcome.applied()) {
        metrics.applied(batch);
      }
      events.publish(outcome.changes());
      return outcome.known();
    });
  }

  /** Admits the connection, or fails with {@code USER_CONNECTION_LIMIT} when the user has the limit already. */
  Future<Void> admit(AdmitRequest request) {
    return store.admit(request).compose(admitted -> admitted ? Future.succeededFuture()
        : Future.failedFuture(ServiceException.of(ErrorCode.USER_CONNECTION_LIMIT,
            "at most " + request.limit() + " connections per user")));
  }

  Future<RoomPresence> online(PresenceQuery query) {
    return store.online(query.tenant(), query.roomId());
  }

  private static <T> void answer(Message<T> msg, Function<T, Future<?>> handler) {
    handler.apply(msg.body()).onComplete(msg::reply,
        failure -> msg.fail(ServiceException.codeOf(failure).busCode(), failure.getMessage()));
  }
}
