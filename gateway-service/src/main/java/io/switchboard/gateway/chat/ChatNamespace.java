package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.ops.Audit;
import io.switchboard.gateway.admission.ConnectAdmission;
import io.switchboard.gateway.admission.RateLimiter;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.moderation.BlockLists;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.gateway.presence.PresenceReporter;
import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.Socket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The chat namespace {@code /}: each CONNECT is decided by {@link ConnectAdmission}; each connection
 * is put in its user's private room, reported to presence, and has its client events answered by
 * the {@link RequestDispatcher}; a session whose token expired without a refresh is closed.
 */
public final class ChatNamespace {
  private static final String PRINCIPAL = "chat.principal";

  private final ConnectAdmission admission;
  private final PresenceReporter presence;
  private final ConnectionRegistry registry;
  private final RateLimiter limiter;
  private final RequestDispatcher requests;
  private final GatewayMetrics metrics;
  private final BlockLists blocks;
  private final ChatHandlers chat;

  public ChatNamespace(ConnectAdmission admission, ChatHandlers chat, PresenceReporter presence,
      ConnectionRegistry registry, RateLimiter limiter, GatewayMetrics metrics, BlockLists blocks) {
    this.admission = admission;
    this.presence = presence;
    this.registry = registry;
    this.limiter = limiter;
    this.requests = new RequestDispatcher(chat, metrics);
    this.metrics = metrics;
    this.blocks = blocks;
    this.chat = chat;
  }

  public void install(Namespace namespace) {
    namespace.use(this::authenticate);
    // A recovered session (its rooms, private room included, and missed events) goes back only to
    // the same user of the same tenant, whoever else presents its pid.
    namespace.recoveryOwner(socket -> socket.get(PRINCIPAL) instanceof Principal p
        ? List.of(p.sender().tenant(), p.sender().userId()) : null);
    namespace.onConnection(this::connected);
  }

  /** Who a chat socket is, for an operator's view: its tenant and user, never its token. */
  public static io.vertx.core.json.JsonObject describe(Socket socket) {
    io.vertx.core.json.JsonObject who = new io.vertx.core.json.JsonObject();
    if (socket.get(PRINCIPAL) instanceof Principal p) {
      who.put("tenant", p.sender().tenant()).put("userId", p.sender().userId());
    }
    return who;
  }

  private Future<Void> authenticate(Socket socket) {
    return admission.admit(socket).map(principal -> {
      socket.set(PRINCIPAL, principal);
      // The bearer token is not kept past its check: no heap dump or listing shows live tokens
      // (and it was the largest string an idle connection held).
      socket.handshake().auth().remove("token");
      return null;
    });
  }

  private void connected(Socket socket) {
    Principal principal = socket.get(PRINCIPAL);
    Sender user = principal.sender();
    Connection connection = new Connection(socket, user, limiter.open(user.tenant(), user.userId()),
        Receive.of(socket.handshake().auth().getValue("receive"), Receive.OPTIMISTIC));
    connection.expiresAt(principal.expiresAt());
    socket.join(connection.userRoom());
    blocks.connected(socket, connection.userRoom());
    presence.connected(connection.id(), user);
    if (socket.recovered()) {
      // Connection state recovery restored the socket's rooms; presence forgot them at the disconnect.
      socket.rooms().stream().filter(room -> room.startsWith(ClientEvents.chatRoom("")))
          .forEach(room -> presence.joined(connection.id(), user, room.substring(ClientEvents.chatRoom("").length())));
    }
    requests.attach(connection);
    registry.add(connection);
    metrics.connected();
    socket.onDisconnect(reason -> {
      limiter.close(connection.limits());
      registry.remove(connection);
      blocks.disconnected(socket, connection.userRoom());
      metrics.disconnected(reason);
      presence.disconnected(connection.id(), user);
      chat.calls().disconnected(connection);
    });
  }

  /**
   * Tells and disconnects the sockets whose token expired (and was not refreshed). Called
   * periodically; a token is honoured up to the verifier's clock skew past its {@code exp}.
   */
  public void expireSessions(long nowEpochSeconds, long skewSeconds) {
    for (Connection c : registry.all()) {
      if (c.expiresAt() + skewSeconds < nowEpochSeconds) {
        Audit.event("session.expired", c.user().userId(), c.user().tenant(), c.socket().handshake().address(), c.id(),
            "token expired without refresh");
        c.socket().emit(ClientEvents.TOKEN_EXPIRED, new JsonObject().put("code", ErrorCode.TOKEN_EXPIRED.name())
            .put("message", "token expired: connect again with a new token"));
        c.socket().disconnect(true);
      }
    }
  }
}
