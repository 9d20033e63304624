package io.switchboard.gateway.chat;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * The gateway's view of message-service: typed requests over the event bus,
 * each bounded by the request timeout. A timeout or a missing service fails with {@code UNAVAILABLE}
 * (see {@link io.switchboard.common.ServiceException#codeOf}).
 */
final class ChatServices {
  private final EventBus bus;
  private final DeliveryOptions options;

  ChatServices(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  Future<PersistResult> persist(PersistRequest request) {
    return bus.<PersistResult>request(Addresses.MESSAGE_PERSIST, request, options).map(Message::body);
  }

  Future<JoinResult> join(JoinRequest request) {
    return bus.<JoinResult>request(Addresses.ROOM_JOIN, request, options).map(Message::body);
  }

  Future<Room> createRoom(CreateRoomRequest request) {
    return bus.<Room>request(Addresses.ROOM_CREATE, request, options).map(Message::body);
  }
}
