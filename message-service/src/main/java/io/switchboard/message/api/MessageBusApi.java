package io.switchboard.message.api;

import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.message.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.function.Function;

/**
 * The internal event-bus API of message-service: typed requests from gateways, answered with records
 * or with a failure whose code is the {@link io.switchboard.common.ErrorCode}'s bus code. With
 * several instances, each request goes to one of them (point-to-point).
 */
public final class MessageBusApi {
  private final EventBus bus;
  private final MessageStore store;

  public MessageBusApi(Vertx vertx, MessageStore store) {
    this.bus = vertx.eventBus();
    this.store = store;
  }

  public Future<List<MessageConsumer<?>>> register() {
    List<MessageConsumer<?>> consumers = List.of(
        bus.<PersistRequest>consumer(Addresses.MESSAGE_PERSIST, msg -> answer(msg, store::persist)),
        bus.<CreateRoomRequest>consumer(Addresses.ROOM_CREATE, msg -> answer(msg, store::createRoom)),
        bus.<JoinRequest>consumer(Addresses.ROOM_JOIN, msg -> answer(msg, store::join)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).map(v -> consumers);
  }

  static <T, R> void answer(Message<T> msg, Function<T, Future<R>> handler) {
    Future<R> result;
    try {
      result = handler.apply(msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(msg::reply, failure -> msg.fail(ServiceException.codeOf(failure).busCode(),
        failure.getMessage() == null ? failure.toString() : failure.getMessage()));
  }
}
