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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO layer of one Engine.IO session: decodes packets (reassembling binary attachments),
 * routes them to the socket of their namespace, and closes the whole session on any protocol
 * violation. Runs on the session's context only.
 */
final class SioClient implements SessionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SioClient.class);

  private final EngineSession session;
  private final NamespaceRegistry registry;
  private final Map<String, SocketImpl> sockets = new HashMap<>(2);
  private Set<String> connecting;
  private boolean everConnected;
  private SioPacket pendingBinary;
  private List<Buffer> attachments;

  SioClient(EngineSession session, NamespaceRegistry registry) {
    this.session = session;
    this.registry = registry;
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
      if (socket != null || (connecting != null && connecting.contains(nsp))) {
        protocolError("duplicate CONNECT for " + nsp);
        return;
      }
      NamespaceImpl namespace = registry.get(nsp);
      if (namespace == null) {
        send(SioParser.encode(SioPacket.Type.CONNECT_ERROR, nsp, -1, new JsonObject().put("message", "Invalid namespace")));
        return;
      }
      JsonObject auth = packet.data() instanceof JsonObject o ? o : new JsonObject();
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
    session.close("parse error");
  }

  void connecting(String nsp, boolean pending) {
    if (pending) {
      if (connecting == null) {
        connecting = new HashSet<>(2);
      }
      connecting.add(nsp);
    } else if (connecting != null) {
      connecting.remove(nsp);
    }
  }

  void attach(String nsp, SocketImpl socket) {
    sockets.put(nsp, socket);
    everConnected = true;
  }

  void detach(String nsp, SocketImpl socket) {
    sockets.remove(nsp, socket);
  }

  /** Sends DISCONNECT to every namespace, then closes the session. */
  void disconnectAll(String socketReason, String engineReason) {
    for (SocketImpl socket : List.copyOf(sockets.values())) {
      send(SioParser.encode(SioPacket.Type.DISCONNECT, socket.namespace().name(), -1, null));
      detach(socket.namespace().name(), socket);
      socket.onClose(socketReason);
    }
    session.close(engineReason);
  }

  @Override
  public void onHeartbeat() {
    // A session must connect to a namespace within connectTimeout; checked at each ping, so without a timer.
    if (!everConnected && (connecting == null || connecting.isEmpty())
        && System.currentTimeMillis() - session.request().issuedAt() > registry.connectTimeoutMs()) {
      LOG.debug("sio.connect_timeout sid={}", session.id());
      session.close("forced close");
    }
  }

  @Override
  public void onClose(String reason) {
    for (SocketImpl socket : List.copyOf(sockets.values())) {
      socket.onClose(reason);
    }
    sockets.clear();
  }
}
