package io.switchboard.gateway.http;

import io.switchboard.common.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/rooms} (docs/protocol.md section 6): {@code chat.room.manage} over HTTP for
 * services outside the cluster, with the service token and the tenant given explicitly. The body is
 * that address's request; the answer its reply (200), or {@code {ok: false, error: {code, message}}}
 * with the code's bus code as the HTTP status (400, 403, 404, 409, 413, 423; 503 when
 * message-service does not answer in time).
 *
 * <p>{@code POST /api/webhooks} is the same for {@code chat.webhooks.manage} (docs/operations.md,
 * "Webhooks"): a tenant's webhook endpoints, managed by its backend with the service token; and
 * {@code POST /api/digest} for {@code chat.digest}: a user's unread rooms and mentions since a time.
 */
public final class RoomsApi {
  private final EventBus bus;
  private final ServiceToken serviceToken;
  private final DeliveryOptions options;
  private final String address;

  public RoomsApi(EventBus bus, String serviceToken, long timeoutMs) {
    this(bus, Addresses.CHAT_ROOM_MANAGE, serviceToken, timeoutMs);
  }

  /** The same for another public address of message-service with a tenant in its JSON body. */
  public RoomsApi(EventBus bus, String address, String serviceToken, long timeoutMs) {
    this.bus = bus;
    this.address = address;
    this.serviceToken = new ServiceToken(serviceToken);
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  public void handle(RoutingContext ctx) {
    if (!serviceToken.admit(ctx)) {
      return;
    }
    JsonObject body = ServiceToken.tenantBody(ctx, "the tenant");
    if (body != null) {
      ServiceToken.forward(ctx, bus, address, body, options);
    }
  }
}
