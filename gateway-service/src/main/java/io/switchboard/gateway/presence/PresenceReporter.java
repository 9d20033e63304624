package io.switchboard.gateway.presence;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.PresenceUpdate;
import io.switchboard.common.presence.PresenceUpdate.Kind;
import io.switchboard.common.presence.RoomPresence;
import io.switchboard.common.runtime.Node;
import io.switchboard.gateway.fanout.Fanout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's side of presence. Reports what happens to this node's connections (batched, see
 * {@link UpdateBatcher}), keeps the node's lease, runs the typing indicators and asks presence-service
 * who is online. Reporting never blocks or fails chat: it is asynchronous and converges after an
 * outage. (The device limit, asked of presence-service at CONNECT, is admission's:
 * {@link io.switchboard.gateway.admission.DeviceLimit}.)
 *
 * <p>When presence-service or Redis is unavailable: {@link #online} fails with {@code UNAVAILABLE},
 * join-room acks leave out {@code online}, and status events pause until presence is back, when this
 * node's sync brings everything up to date.
 */
public final class PresenceReporter {
  private final Vertx vertx;
  private final PresenceSettings settings;
  private final LiveConnections live = new LiveConnections();
  private final UpdateBatcher batcher;
  private final NodeLease lease;
  private final TypingIndicators typing;
  private final DeliveryOptions options;

  /** Call on the gateway verticle's context: batches leave from it. */
  public PresenceReporter(Vertx vertx, Fanout fanout, PresenceSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    String nodeId = Node.id(vertx);
    this.batcher = new UpdateBatcher(vertx.getOrCreateContext(), vertx.eventBus(), nodeId, settings.nodeLeaseMs(), live);
    this.lease = new NodeLease(vertx, nodeId, settings.nodeLeaseMs(), batcher);
    this.typing = new TypingIndicators(vertx, fanout, settings.typingExpiryMs());
    this.options = new DeliveryOptions().setSendTimeout(settings.timeoutMs());
  }

  public void start() {
    lease.start();
  }

  /** Goodbye: presence removes this node's remaining connections now rather than at lease expiry. */
  public Future<Void> close() {
    lease.stop();
    return batcher.close();
  }

  public void connected(String connectionId, Sender user) {
    long now = System.currentTimeMillis();
    live.connected(connectionId, user, now);
    batcher.add(new PresenceUpdate(Kind.CONNECTED, connectionId, user.tenant(), user.userId(), null, now));
  }

  public void disconnected(String connectionId, Sender user) {
    typing.stopAll(connectionId, user);
    live.disconnected(connectionId);
    batcher.add(new PresenceUpdate(Kind.DISCONNECTED, connectionId, user.tenant(), user.userId(), null,
        System.currentTimeMillis()));
  }

  public void joined(String connectionId, Sender user, String roomId) {
    live.joined(connectionId, roomId);
    batcher.add(new PresenceUpdate(Kind.JOINED, connectionId, user.tenant(), user.userId(), roomId,
        System.currentTimeMillis()));
  }

  public void left(String connectionId, Sender user, String roomId) {
    typing.stop(connectionId, user, roomId);
    live.left(connectionId, roomId);
    batcher.add(new PresenceUpdate(Kind.LEFT, connectionId, user.tenant(), user.userId(), roomId,
        System.currentTimeMillis()));
  }

  /** {@code set-status}: the connection's client is away, or active again. */
  public void status(String connectionId, Sender user, boolean away) {
    long now = System.currentTimeMillis();
    live.away(connectionId, away, now);
    batcher.add(new PresenceUpdate(away ? Kind.AWAY : Kind.ACTIVE, connectionId, user.tenant(), user.userId(), null, now));
  }

  /** {@code typing {roomId, isTyping}} of a connection in the room; see {@link TypingIndicators}. */
  public void typing(String connectionId, Sender user, String roomId, boolean isTyping) {
    typing.typing(connectionId, user, roomId, isTyping);
  }

  /**
   * The users online in a room, cluster-wide, after this node's own pending updates are applied (so
   * a socket that just joined sees itself). Fails with {@code UNAVAILABLE} when presence cannot answer.
   */
  public Future<RoomPresence> online(String tenant, String roomId) {
    return batcher.drained().timeout(settings.timeoutMs(), TimeUnit.MILLISECONDS).otherwiseEmpty()
        .compose(v -> vertx.eventBus().<RoomPresence>request(Addresses.PRESENCE_QUERY, new PresenceQuery(tenant, roomId),
            options))
        .map(Message::body);
  }

  /**
   * Who is online in a room as presence-service knows it now, without waiting for this node's own
   * reports to reach it: for the join-room ack, asked while the join itself is checked, so that a
   * storm of joins does not wait behind the node's stream of presence updates.
   */
  public Future<RoomPresence> onlineNow(String tenant, String roomId) {
    return vertx.eventBus().<RoomPresence>request(Addresses.PRESENCE_QUERY, new PresenceQuery(tenant, roomId), options)
        .map(Message::body);
  }

  /**
   * The join-room ack with {@code online}: how many users are online in the room, the joiner
   * included; left out when presence cannot answer.
   */
  public static Future<JsonObject> withOnlineCount(JsonObject ack, Sender user, Future<RoomPresence> online) {
    return online.map(p -> ack.put("online", p.online().size() + (p.online().contains(user.userId()) ? 0 : 1)))
        .otherwise(ack);
  }
}
