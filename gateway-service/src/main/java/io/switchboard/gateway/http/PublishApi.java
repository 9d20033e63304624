package io.switchboard.gateway.http;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.MessageRules;
import io.switchboard.common.chat.Tenants;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.fanout.Fanout;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Other services push events to connected clients without a socket (PROTOCOL.md section 6):
 * {@code {target: {room} | {user, tenant?} | {all: true}, event, data}}, on the event bus at
 * {@code chat.publish} or over HTTP at {@code POST /api/publish} with the service token.
 *
 * <p>On the bus, a published message reaches every gateway, and each delivers it to its own sockets;
 * a message sent point-to-point reaches one gateway, which publishes it to all. Either way every
 * targeted socket gets the event once.
 */
public final class PublishApi {
  private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9:_.-]{1,64}");

  private final EventBus bus;
  private final Fanout fanout;
  private final ServiceToken serviceToken;
  private MessageConsumer<JsonObject> consumer;

  public PublishApi(EventBus bus, Fanout fanout, String serviceToken) {
    this.bus = bus;
    this.fanout = fanout;
    this.serviceToken = new ServiceToken(serviceToken);
  }

  public Future<Void> listen() {
    consumer = bus.consumer(Addresses.CHAT_PUBLISH, this::onBus);
    return consumer.completion();
  }

  private void onBus(Message<JsonObject> msg) {
    RoomEvent event;
    try {
      event = parse(msg.body());
    } catch (IllegalArgumentException invalid) {
      msg.fail(400, invalid.getMessage());
      return;
    }
    if (msg.isSend()) {
      fanout.publish(event);
      msg.reply(new JsonObject().put("ok", true));
    } else {
      fanout.deliver(event);
    }
  }

  /** {@code POST /api/publish}: 401 without a bearer token, 403 with a wrong one, 400 on a bad body, 202 when accepted. */
  public void handle(RoutingContext ctx) {
    if (!serviceToken.admit(ctx)) {
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
      fanout.publish(parse(body));
    } catch (RuntimeException invalid) {
      reply(ctx, 400, new JsonObject().put("ok", false).put("error", invalid.getMessage() == null
          ? "body must be a JSON object" : invalid.getMessage()));
      return;
    }
    reply(ctx, 202, new JsonObject().put("ok", true));
  }

  static RoomEvent parse(JsonObject body) {
    if (body == null) {
      throw new IllegalArgumentException("body must be a JSON object");
    }
    String event = body.getValue("event") instanceof String e ? e : null;
    if (event == null || !EVENT_NAME.matcher(event).matches()) {
      throw new IllegalArgumentException("event must match " + EVENT_NAME.pattern());
    }
    Object data = body.getValue("data");
    JsonObject target = body.getValue("target") instanceof JsonObject t ? t : null;
    if (target == null) {
      throw new IllegalArgumentException("target must be {room}, {user} or {all: true}");
    }
    if (target.getValue("room") instanceof String room && MessageRules.validRoomId(room)) {
      return RoomEvent.toRoom(ClientEvents.chatRoom(room), event, data);
    }
    if (target.getValue("user") instanceof String user && MessageRules.validRoomId(user)) {
      String tenant = Tenants.orDefault(target.getValue("tenant") instanceof String t ? t : null);
      return RoomEvent.toRoom(ClientEvents.userRoom(tenant, user), event, data);
    }
    if (Boolean.TRUE.equals(target.getValue("all"))) {
      return RoomEvent.toAll(event, data);
    }
    throw new IllegalArgumentException("target must be {room}, {user} or {all: true}");
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ServiceToken.reply(ctx, status, body);
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
