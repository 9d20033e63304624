package io.switchboard.socketio.namespace;

import io.switchboard.socketio.BroadcastOperator;
import io.switchboard.socketio.engine.EngineSession;
import io.switchboard.socketio.parser.EncodedPacket;
import io.switchboard.socketio.parser.SioPacket;
import io.switchboard.socketio.parser.SioParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable broadcast target; {@link #emit} encodes the packet once (once per form, see
 * {@link Frames}) and writes the same frames to every socket.
 */
final class Broadcast implements BroadcastOperator {
  private final NamespaceImpl namespace;
  private final Set<String> rooms;
  private final Set<String> except;

  Broadcast(NamespaceImpl namespace, Set<String> rooms, Set<String> except) {
    this.namespace = namespace;
    this.rooms = rooms;
    this.except = except;
  }

  @Override
  public BroadcastOperator to(String room) {
    return new Broadcast(namespace, plus(rooms, room), except);
  }

  @Override
  public BroadcastOperator except(String roomOrSocketId) {
    return new Broadcast(namespace, rooms, plus(except, roomOrSocketId));
  }

  private static Set<String> plus(Set<String> set, String value) {
    if (set.isEmpty()) {
      return Set.of(value);
    }
    if (set.contains(value)) {
      return set;
    }
    Set<String> copy = new HashSet<>(set);
    copy.add(value);
    return Set.copyOf(copy);
  }

  @Override
  public int emit(String event, Object... args) {
    Collection<SocketImpl> targets = namespace.targets(rooms, except);
    Frames frames = namespace.frames(event, args, rooms, except);
    if (targets.isEmpty()) {
      return 0;
    }
    int sent = 0;
    Map<Object, List<SocketImpl>> elsewhere = null;
    for (SocketImpl socket : targets) {
      // Before the connected check: a recovering socket that is disconnecting now is held, and its
      // variant, logged, is what it will be replayed.
      EncodedPacket packet = frames.of(socket);
      if (!socket.connected()) {
        continue;
      }
      EngineSession session = socket.session();
      if (session.onContext()) {
        socket.write(packet);
      } else {
        if (elsewhere == null) {
          elsewhere = new HashMap<>();
        }
        elsewhere.computeIfAbsent(session.loopKey(), k -> new ArrayList<>()).add(socket);
      }
      sent++;
    }
    if (elsewhere != null) {
      // One task per event loop; each write then runs on its session's thread without another hop.
      // The variants those sockets need were encoded above, before the task was submitted.
      for (List<SocketImpl> batch : elsewhere.values()) {
        batch.get(0).session().context().runOnContext(v -> batch.forEach(socket -> socket.write(frames.of(socket))));
      }
    }
    return sent;
  }

  /**
   * One EVENT in the two forms sockets get, each encoded on first use: plain (the arguments alone),
   * for the sockets that did not ask for recovery, and with the recovery offset, for those that did
   * (logged for replay when encoded). A broadcast to sockets of one kind encodes one form, as before
   * recovery was opt-in; a mixed one encodes the text twice, and nothing is kept per socket.
   */
  static final class Frames {
    private final NamespaceImpl namespace;
    private final String event;
    private final Object[] args;
    private final Set<String> rooms;
    private final Set<String> except;
    private EncodedPacket plain;
    private EncodedPacket recoverable;

    Frames(NamespaceImpl namespace, String event, Object[] args, Set<String> rooms, Set<String> except) {
      this.namespace = namespace;
      this.event = event;
      this.args = args;
      this.rooms = rooms;
      this.except = except;
    }

    /** The form {@code socket} gets: with the offset when it asked for recovery (it has a pid). */
    EncodedPacket of(SocketImpl socket) {
      return socket.pid() != null ? recoverable() : plain();
    }

    EncodedPacket plain() {
      if (plain == null) {
        plain = encode(namespace.name(), event, args, null);
      }
      return plain;
    }

    /** With recovery on only: the form with an offset, logged for replay. */
    EncodedPacket recoverable() {
      if (recoverable == null) {
        recoverable = namespace.logged(event, args, rooms, except);
      }
      return recoverable;
    }
  }

  /** Builds {@code [event, ...args]} plus the recovery offset when there is one. */
  static List<Object> eventData(String event, Object[] args, String offset) {
    List<Object> data = new ArrayList<>(args.length + 2);
    data.add(event);
    data.addAll(Arrays.asList(args));
    if (offset != null) {
      data.add(offset);
    }
    return data;
  }

  static EncodedPacket encode(String nsp, String event, Object[] args, String offset) {
    return SioParser.encode(SioPacket.Type.EVENT, nsp, -1, eventData(event, args, offset));
  }
}
