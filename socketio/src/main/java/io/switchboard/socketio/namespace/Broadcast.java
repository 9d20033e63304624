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

/** Immutable broadcast target; {@link #emit} encodes the packet once and writes the same frames to every socket. */
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
    EncodedPacket packet = namespace.encodeEvent(event, args, rooms, except, !targets.isEmpty());
    if (packet == null) {
      return 0;
    }
    int sent = 0;
    Map<Object, List<SocketImpl>> elsewhere = null;
    for (SocketImpl socket : targets) {
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
      for (List<SocketImpl> batch : elsewhere.values()) {
        batch.get(0).session().context().runOnContext(v -> batch.forEach(socket -> socket.write(packet)));
      }
    }
    return sent;
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
