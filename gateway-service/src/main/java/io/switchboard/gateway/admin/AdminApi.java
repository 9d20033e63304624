package io.switchboard.gateway.admin;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.ops.AdminAuth;
import io.switchboard.common.runtime.Node;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.chat.ConnectionRegistry;
import io.switchboard.gateway.chat.ConnectionRegistry.Filter;
import io.switchboard.common.ops.Audit;
import io.switchboard.socketio.Namespace;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's admin API, cluster-wide: every gateway answers for its own sockets and the node that
 * was asked merges the answers. Two kinds of caller:
 *
 * <ul>
 *   <li>the operator, with {@code ADMIN_TOKEN}: every tenant, every node, drain;
 *   <li>an admin of one tenant, with a client JWT carrying the admin role: the connections of their
 *       own tenant only (listing and disconnecting); asking about another tenant is 403, and the
 *       cluster-wide views (nodes, rooms) and drain are the operator's.
 * </ul>
 *
 * Every request, allowed or refused, is audited with who made it.
 *
 * <pre>
 * GET  /admin/connections?user=&amp;tenant=&amp;room=&amp;limit=   sockets, per node        operator, tenant admin
 * POST /admin/disconnect {socketId?, userId?, tenant?}    close matching sockets    operator, tenant admin
 * GET  /admin/rooms?limit=                                busiest rooms, per node   operator
 * GET  /admin/rooms/:roomId                               sockets in a room         operator
 * GET  /admin/nodes                                       gateways and their counts operator
 * POST /admin/drain                                       this node sends its clients elsewhere  operator
 * POST /admin/webhooks {action, tenant?, ...}             chat.webhooks.manage      operator (tenant required), tenant admin (own)
 * </pre>
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  /** How long the asking node collects the other gateways' answers. */
  private static final long GATHER_MS = 500;
  private static final int MAX_LIST = 1000;
  private static final String ACTOR = "admin.actor";
  private static final long WEBHOOKS_TIMEOUT_MS = 5000;

  /** Who asks: the operator ({@code tenant} null) or an admin of one tenant. */
  record Actor(String who, String tenant) {
    static final Actor OPERATOR = new Actor("operator", null);

    boolean operator() {
      return tenant == null;
    }
  }

  private final Vertx vertx;
  private final ConnectionRegistry connections;
  private final Namespace namespace;
  private final AdminAuth auth;
  private final Function<String, Future<Principal>> clientToken;
  private final Runnable drain;
  private MessageConsumer<JsonObject> consumer;

  /** {@code clientToken} verifies a client JWT (the principal says whether it has the admin role). */
  public AdminApi(Vertx vertx, ConnectionRegistry connections, Namespace namespace, String adminToken,
      Function<String, Future<Principal>> clientToken, Runnable drain) {
    this.vertx = vertx;
    this.connections = connections;
    this.namespace = namespace;
    this.auth = new AdminAuth(adminToken);
    this.clientToken = clientToken;
    this.drain = drain;
  }

  /** Answers the other gateways' admin questions about this node. */
  public Future<Void> listen() {
    consumer = vertx.eventBus().consumer(Addresses.GATEWAY_ADMIN, msg -> {
      JsonObject query = msg.body();
      vertx.eventBus().send(query.getString("replyTo"), answer(query).put("node", Node.id(vertx)));
    });
    return consumer.completion();
  }

  public void mount(Router router) {
    router.route("/admin/*").handler(this::authenticate);
    router.get("/admin/connections").handler(ctx -> {
      String tenant = ctx.request().getParam("tenant");
      if (withinScope(ctx, tenant)) {
        gather(ctx, query("connections", ctx, scoped(ctx, tenant)));
      }
    });
    router.post("/admin/disconnect").handler(BodyHandler.create().setBodyLimit(4096)).handler(ctx -> {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null || (body.getString("socketId") == null && body.getString("userId") == null)) {
        reply(ctx, 400, new JsonObject().put("error", "give socketId or userId"));
        return;
      }
      if (!withinScope(ctx, body.getString("tenant"))) {
        return;
      }
      JsonObject filter = body.copy().put("tenant", scoped(ctx, body.getString("tenant")));
      Audit.event("admin.disconnect", actor(ctx).who(), actor(ctx).tenant(), address(ctx), null, filter.encode());
      gather(ctx, new JsonObject().put("op", "disconnect").put("filter", filter));
    });
    router.get("/admin/rooms").handler(this::operatorOnly).handler(ctx -> gather(ctx, new JsonObject().put("op", "rooms")
        .put("limit", limit(ctx.request().getParam("limit")))));
    router.get("/admin/rooms/:roomId").handler(this::operatorOnly).handler(ctx -> gather(ctx, new JsonObject()
        .put("op", "room").put("roomId", ctx.pathParam("roomId"))));
    router.get("/admin/nodes").handler(this::operatorOnly).handler(ctx -> gather(ctx, new JsonObject().put("op", "node")));
    router.post("/admin/webhooks").handler(BodyHandler.create().setBodyLimit(16_384)).handler(this::webhooks);
    router.post("/admin/drain").handler(this::operatorOnly).handler(ctx -> {
      LOG.atWarn().setMessage("admin drain").addKeyValue("node", Node.id(vertx)).log();
      drain.run();
      reply(ctx, 202, new JsonObject().put("draining", true).put("node", Node.id(vertx)));
    });
  }

  /**
   * A tenant's webhooks (docs/operations.md, "Webhooks"): the body of {@code chat.webhooks.manage},
   * for the tenant admin's own tenant (another is 403) or, for the operator, the tenant named. The
   * answer is message-service's reply, or {@code {error: {code, message}}} with the code's bus code as
   * the status (503 when message-service does not answer).
   */
  private void webhooks(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException notJson) {
      body = null;
    }
    if (body == null) {
      reply(ctx, 400, new JsonObject().put("error", new JsonObject().put("code", ErrorCode.VALIDATION_ERROR.name())
          .put("message", "a JSON object is required")));
      return;
    }
    String tenant = body.getValue("tenant") instanceof String t ? t : null;
    if (!withinScope(ctx, tenant)) {
      return;
    }
    JsonObject request = body.copy().put("tenant", scoped(ctx, tenant));
    Audit.event("admin.webhooks", actor(ctx).who(), actor(ctx).tenant(), address(ctx), null,
        String.valueOf(request.getValue("action")) + " " + request.getValue("tenant"));
    vertx.eventBus().<JsonObject>request(Addresses.CHAT_WEBHOOKS_MANAGE, request,
            new DeliveryOptions().setSendTimeout(WEBHOOKS_TIMEOUT_MS))
        .onComplete(answer -> reply(ctx, 200, answer.body()), failure -> {
          ErrorCode code = ServiceException.codeOf(failure);
          reply(ctx, code.busCode(), new JsonObject().put("error", new JsonObject().put("code", code.name())
              .put("message", String.valueOf(failure.getMessage()))));
        });
  }

  /** The operator's token, or a client JWT with the admin role; anything else is 401. */
  private void authenticate(RoutingContext ctx) {
    String bearer = AdminAuth.bearer(ctx.request().getHeader("Authorization"));
    Future<Actor> actor = auth.allows(bearer) ? Future.succeededFuture(Actor.OPERATOR)
        : bearer == null ? Future.succeededFuture(null)
        : clientToken.apply(bearer).map(p -> p.admin() ? new Actor(p.sender().userId(), p.sender().tenant()) : null)
            .otherwise((Actor) null);
    actor.onComplete(done -> {
      Actor who = done.result();
      String what = ctx.request().method() + " " + ctx.request().path();
      if (who != null) {
        Audit.event("admin.request", who.who(), who.tenant(), address(ctx), null, what);
        ctx.put(ACTOR, who);
        ctx.next();
      } else {
        Audit.event("admin.refused", null, null, address(ctx), null, what);
        reply(ctx, 401, new JsonObject().put("error", "admin token or admin role required"));
      }
    });
  }

  private void operatorOnly(RoutingContext ctx) {
    if (actor(ctx).operator()) {
      ctx.next();
    } else {
      refuse(ctx, "the operator's ADMIN_TOKEN is required");
    }
  }

  /** Whether the caller may ask about {@code tenant} (null: every tenant); answers 403 when not. */
  private boolean withinScope(RoutingContext ctx, String tenant) {
    Actor actor = actor(ctx);
    if (actor.operator() || (tenant == null || tenant.equals(actor.tenant()))) {
      return true;
    }
    refuse(ctx, "a tenant admin sees their own tenant only");
    return false;
  }

  /** The tenant a request is about: what the operator asked for (null: all), or the tenant admin's own. */
  private static String scoped(RoutingContext ctx, String requested) {
    return actor(ctx).operator() ? requested : actor(ctx).tenant();
  }

  private void refuse(RoutingContext ctx, String why) {
    Actor actor = actor(ctx);
    Audit.event("admin.forbidden", actor.who(), actor.tenant(), address(ctx), null,
        ctx.request().method() + " " + ctx.request().path());
    reply(ctx, 403, new JsonObject().put("error", why));
  }

  private static Actor actor(RoutingContext ctx) {
    return ctx.get(ACTOR);
  }

  private static String address(RoutingContext ctx) {
    return String.valueOf(ctx.request().remoteAddress());
  }

  private static JsonObject query(String op, RoutingContext ctx, String tenant) {
    return new JsonObject().put("op", op).put("filter", new JsonObject()
        .put("userId", ctx.request().getParam("user"))
        .put("tenant", tenant)
        .put("roomId", ctx.request().getParam("room"))
        .put("socketId", ctx.request().getParam("socket")));
  }

  /** This node's answer to one question. */
  private JsonObject answer(JsonObject query) {
    JsonObject f = query.getJsonObject("filter", new JsonObject());
    Filter filter = new Filter(f.getString("socketId"), f.getString("userId"), f.getString("tenant"), f.getString("roomId"));
    return switch (query.getString("op", "")) {
      case "connections" -> new JsonObject().put("connections", connections.list(filter, MAX_LIST));
      case "disconnect" -> new JsonObject().put("disconnected", connections.disconnect(filter));
      case "room" -> new JsonObject().put("sockets",
          namespace.roomSize(io.switchboard.common.chat.ClientEvents.chatRoom(query.getString("roomId"))));
      case "rooms" -> new JsonObject().put("rooms", busiestRooms(query.getInteger("limit", 20)));
      case "node" -> new JsonObject().put("connections", connections.size()).put("rooms", namespace.rooms().size())
          .put("byTenant", new JsonObject(new java.util.LinkedHashMap<>(connections.byTenant())));
      default -> new JsonObject().put("error", "unknown op");
    };
  }

  private static int limit(String param) {
    try {
      return param == null ? 20 : Math.max(1, Math.min(MAX_LIST, Integer.parseInt(param)));
    } catch (NumberFormatException e) {
      return 20;
    }
  }

  /** This node's chat rooms with the most sockets, most first. */
  private JsonArray busiestRooms(int limit) {
    String prefix = io.switchboard.common.chat.ClientEvents.chatRoom("");
    JsonArray rooms = new JsonArray();
    namespace.rooms().stream().filter(room -> room.startsWith(prefix))
        .map(room -> Map.entry(room.substring(prefix.length()), namespace.roomSize(room)))
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
        .forEach(e -> rooms.add(new JsonObject().put("roomId", e.getKey()).put("sockets", e.getValue())));
    return rooms;
  }

  /** Asks every gateway (this one included) and answers with their replies, gathered for a moment. */
  private void gather(RoutingContext ctx, JsonObject query) {
    String replyTo = "gateway.admin.reply." + UUID.randomUUID();
    JsonArray nodes = new JsonArray();
    MessageConsumer<JsonObject> replies = vertx.eventBus().consumer(replyTo, msg -> nodes.add(msg.body()));
    replies.completion()
        .compose(v -> {
          vertx.eventBus().publish(Addresses.GATEWAY_ADMIN, query.copy().put("replyTo", replyTo));
          Promise<Void> window = Promise.promise();
          vertx.setTimer(GATHER_MS, t -> window.complete());
          return window.future();
        })
        .eventually(replies::unregister)
        .onComplete(done -> reply(ctx, 200, summarize(query.getString("op"), nodes)));
  }

  private static JsonObject summarize(String op, JsonArray nodes) {
    Function<String, Long> total = key -> nodes.stream().mapToLong(n -> {
      Object v = ((JsonObject) n).getValue(key);
      return v instanceof Number num ? num.longValue() : v instanceof JsonArray a ? a.size() : 0;
    }).sum();
    String key = switch (op) {
      case "disconnect" -> "disconnected";
      case "room" -> "sockets";
      case "rooms" -> "rooms";
      default -> "connections";
    };
    return new JsonObject().put("nodes", nodes).put("total", total.apply(key));
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

}
