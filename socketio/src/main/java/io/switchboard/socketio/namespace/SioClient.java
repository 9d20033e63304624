package io.switchboard.socketio.namespace;

import io.switchboard.socketio.engine.EngineSession;
import io.switchboard.socketio.engine.SessionHandler;
import io.switchboard.socketio.parser.Binary;
import io.switchboard.socketio.parser.EncodedPacket;
import io.switchboard.socketio.parser.PacketFormatException;
import io.switchboard.socketio.parser.SioPacket;
import io.switchboard.socketio.parser.SioParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO layer of one Engine.IO session: decodes packets (reassembling binary attachments),
 * routes them to the socket of their namespace, and closes the whole session on any protocol
 * violation. Runs on the session's context only.
 *
 * <p>Until a namespace CONNECT succeeds the peer is unknown, so what it may cost is bounded: the
 * session is closed at the connect deadline whatever it sends meanwhile, binary attachments are
 * refused (never buffered) for a namespace it is not connected to, and its CONNECT attempts are
 * counted. Such a peer is owed nothing: its session is closed at once, without a polling grace.
 */
final class SioClient implements SessionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SioClient.class);

  private final EngineSession session;
  private final NamespaceRegistry registry;
  /**
   * Immutable, replaced on attach and detach: a session is in one namespace or two, for its whole
   * life, and a hash map for them was about 120 bytes per idle connection.
   */
  private Map<String, SocketImpl> sockets = Map.of();
  /** Namespaces whose CONNECT is being decided; null when none (the usual case once connected). */
  private Set<String> connecting;
  private boolean everConnected;
  private SioPacket pendingBinary;
  private List<Buffer> attachments;
  private int connectAttempts;
  /** The connect deadline's timer until a namespace connects, -1 after. */
  private long connectTimer;
  /** The deadline passed while a CONNECT was being decided: a refusal then closes the session. */
  private boolean connectOverdue;

  /** Created on the session's context, at its start. */
  SioClient(EngineSession session, NamespaceRegistry registry) {
    this.session = session;
    this.registry = registry;
    // A timer per session, not the heartbeat clock: it must fire on time (a ping interval late would
    // let a peer hold an unauthenticated session for that long), and it lives only until the CONNECT,
    // milliseconds for the official clients.
    long left = registry.connectTimeoutMs() - (System.currentTimeMillis() - session.request().issuedAt());
    this.connectTimer = vertx().setTimer(Math.max(1, left), t -> session.runOnContext(this::onConnectDeadline));
  }

  EngineSession session() {
    return session;
  }

  Vertx vertx() {
    return registry.vertx();
  }

  void send(EncodedPacket packet) {
    session.send(packet.frames());
  }

  @Override
  public void onMessage(Object data) {
    try {
      if (data instanceof Buffer buffer) {
        onAttachment(buffer);
      } else if (pendingBinary != null) {
        throw new PacketFormatException("expected a binary attachment");
      } else {
        SioPacket packet = SioParser.decode((String) data);
        if (packet.attachments() > 0) {
          if (!sockets.containsKey(packet.nsp())) {
            // Refused before any attachment is read: a namespace not connected would refuse the
            // packet anyway, after holding up to 16 attachments of maxPayload bytes each.
            throw new PacketFormatException("binary packet before CONNECT to " + packet.nsp());
          }
          pendingBinary = packet;
          attachments = new ArrayList<>(packet.attachments());
        } else {
          dispatch(packet);
        }
      }
    } catch (PacketFormatException e) {
      protocolError(e.getMessage());
    }
  }

  private void onAttachment(Buffer buffer) throws PacketFormatException {
    if (pendingBinary == null) {
      throw new PacketFormatException("unexpected binary frame");
    }
    attachments.add(buffer);
    if (attachments.size() == pendingBinary.attachments()) {
      SioPacket packet = pendingBinary.withData(Binary.reconstruct(pendingBinary.data(), attachments));
      pendingBinary = null;
      attachments = null;
      dispatch(packet);
    }
  }

  private void dispatch(SioPacket packet) {
    String nsp = packet.nsp();
    SocketImpl socket = sockets.get(nsp);
    if (packet.type() == SioPacket.Type.CONNECT) {
      if (++connectAttempts > registry.connectAttemptsPerSession()) {
        LOG.info("sio.connect_attempts sid={} limit={}", session.id(), registry.connectAttemptsPerSession());
        session.abort("forced close");
        return;
      }
      if (socket != null || (connecting != null && connecting.contains(nsp))) {
        protocolError("duplicate CONNECT for " + nsp);
        return;
      }
      NamespaceImpl namespace = registry.get(nsp);
      if (namespace == null) {
        send(SioParser.encode(SioPacket.Type.CONNECT_ERROR, nsp, -1, new JsonObject().put("message", "Invalid namespace")));
        return;
      }
      // A copy sized to its entries: the socket keeps it for its life, and the parser's map has a
      // table of 16 whatever the payload (usually a token and a setting or two).
      JsonObject auth = packet.data() instanceof JsonObject o ? new JsonObject(new LinkedHashMap<>(o.getMap()))
          : new JsonObject();
      namespace.connect(this, auth);
    } else if (socket == null && packet.type() == SioPacket.Type.DISCONNECT) {
      // Benign race: the server disconnected that namespace while the client was leaving it.
      LOG.debug("sio.disconnect_ignored sid={} nsp={}", session.id(), nsp);
    } else if (socket == null) {
      protocolError(packet.type() + " before CONNECT to " + nsp);
    } else {
      socket.onPacket(packet);
    }
  }

  void protocolError(String detail) {
    LOG.info("sio.protocol_error sid={} detail=\"{}\"", session.id(), detail);
    if (everConnected) {
      session.close("parse error");
    } else {
      session.abort("parse error");
    }
  }

  void connecting(String nsp, boolean pending) {
    if (pending) {
      if (connecting == null) {
        connecting = new HashSet<>(2);
      }
      connecting.add(nsp);
    } else if (connecting != null) {
      connecting.remove(nsp);
      if (connecting.isEmpty()) {
        connecting = null;
      }
    }
  }

  void attach(String nsp, SocketImpl socket) {
    Map<String, SocketImpl> next = new HashMap<>(sockets);
    next.put(nsp, socket);
    sockets = Map.copyOf(next);
    everConnected = true;
    cancelConnectTimer();
  }

  /** A CONNECT was refused (and answered): past the connect deadline, that closes the session. */
  void connectRefused() {
    if (connectOverdue && !everConnected && (connecting == null || connecting.isEmpty())) {
      LOG.debug("sio.connect_timeout sid={}", session.id());
      session.close("forced close");
    }
  }

  void detach(String nsp, SocketImpl socket) {
    if (sockets.get(nsp) == socket) {
      Map<String, SocketImpl> next = new HashMap<>(sockets);
      next.remove(nsp);
      sockets = Map.copyOf(next);
    }
  }

  /** Sends DISCONNECT to every namespace, then closes the session. */
  void disconnectAll(String socketReason, String engineReason) {
    for (SocketImpl socket : sockets.values()) {
      send(SioParser.encode(SioPacket.Type.DISCONNECT, socket.namespace().name(), -1, null));
      detach(socket.namespace().name(), socket);
      socket.onClose(socketReason);
    }
    session.close(engineReason);
  }

  private void onConnectDeadline() {
    connectTimer = -1;
    if (everConnected || !session.isOpen()) {
      return;
    }
    if (connecting != null && !connecting.isEmpty()) {
      // Its middlewares are the server's own work, bounded by their timeouts: let them answer.
      connectOverdue = true;
      return;
    }
    LOG.debug("sio.connect_timeout sid={}", session.id());
    session.abort("forced close");
  }

  private void cancelConnectTimer() {
    if (connectTimer >= 0) {
      vertx().cancelTimer(connectTimer);
      connectTimer = -1;
    }
  }

  /**
   * Names this session to observers (see {@link io.switchboard.socketio.Socket#clientId}): the first
   * 12 hex digits of a SHA-256 of its id, computed when asked, so that idle sessions hold nothing more.
   */
  String clientId() {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(session.id().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public void onUpgrade() {
    for (SocketImpl socket : sockets.values()) {
      socket.namespaceImpl().report(o -> o.upgraded(socket));
    }
  }

  @Override
  public void onClose(String reason) {
    cancelConnectTimer();
    for (SocketImpl socket : sockets.values()) {
      socket.onClose(reason);
    }
    sockets = Map.of();
  }
}
