package io.switchboard.gateway.http;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.Sender;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/messages} (docs/protocol.md section 6): {@code chat.message.create} over HTTP for
 * services outside the cluster, with the service token and the tenant given explicitly. The sender
 * is made of {@code tenant}: a user {@code sender} of that tenant, or the system confined to that
 * tenant's rooms (on the bus a message without a sender may go into any tenant's room; over HTTP
 * every request names its tenant, as {@code /api/rooms} does). The answer is the reply (200), or
 * {@code {ok: false, error: {code, message, ...}}} with the code's bus code as the status.
 */
public final class MessagesApi {
  private final EventBus bus;
  private final ServiceToken serviceToken;
  private final DeliveryOptions options;

  public MessagesApi(EventBus bus, String serviceToken, long timeoutMs) {
    this.bus = bus;
    this.serviceToken = new ServiceToken(serviceToken);
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  public void handle(RoutingContext ctx) {
    if (!serviceToken.admit(ctx)) {
      return;
    }
    JsonObject body = ServiceToken.tenantBody(ctx, "the room's tenant");
    if (body == null) {
      return;
    }
    String tenant = body.getString("tenant");
    Object given = body.remove("sender");
    body.remove("tenant");
    JsonObject sender;
    if (given == null) {
      sender = new JsonObject().put("userId", Sender.SYSTEM_ID).put("name", "System");
    } else if (given instanceof JsonObject s) {
      sender = s.copy();
    } else {
      ServiceToken.failed(ctx, ErrorCode.VALIDATION_ERROR, "sender must be {userId, name?}", null);
      return;
    }
    Object senderTenant = sender.getValue("tenant");
    if (senderTenant != null && !tenant.equals(senderTenant)) {
      ServiceToken.failed(ctx, ErrorCode.VALIDATION_ERROR, "sender.tenant must be absent or the request's tenant", null);
      return;
    }
    body.put("sender", sender.put("tenant", tenant));
    ServiceToken.forward(ctx, bus, Addresses.CHAT_MESSAGE_CREATE, body, options);
  }
}
