package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.engine.Window;
import io.switchboard.loadtest.protocol.SioClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sockets} sockets in rooms of {@code members} (the last room may be smaller), each joined to
 * its room: socket i is member {@code i % members} of room {@code i / members}, user
 * {@code <prefix>-u<i>}. Connects through the fleet (rate-limited),
 * creates the rooms with the first connected member of each, then joins every socket. Sockets that
 * failed to connect or join are left out of their room.
 */
final class Population {
  private final LoadContext ctx;
  private final Target target;
  private final int sockets;
  private final int roomCount;
  private final int members;
  private String[] roomIds;
  private List<List<SioClient>> joined;
  private List<List<Integer>> joinedIndices;
  private int connected;
  private int joinedCount;

  Population(LoadContext ctx, Target target, int sockets, int members) {
    this.ctx = ctx;
    this.target = target;
    this.sockets = sockets;
    this.members = members;
    this.roomCount = (sockets + members - 1) / members;
  }

  /** {@code rooms} full rooms of {@code members}. */
  static Population ofRooms(LoadContext ctx, Target target, int rooms, int members) {
    return new Population(ctx, target, rooms * members, members);
  }

  Future<Population> setUp(SioClient.EventListener listener) {
    int total = sockets;
    ctx.phase("connecting " + total + " sockets");
    String prefix = ctx.settings().userPrefix();
    Rooms rooms = new Rooms(ctx, target);
    return ctx.fleet().connectAll(total, i -> prefix + "-u" + i, listener)
        .compose(clients -> {
          connected = (int) clients.stream().filter(c -> c != null).count();
          ctx.phase("creating " + roomCount + " rooms");
          return rooms.create(roomCount, r -> firstConnected(clients, r)).map(ids -> {
            roomIds = ids;
            return clients;
          });
        })
        .compose(clients -> {
          ctx.phase("joining " + connected + " sockets");
          boolean[] ok = new boolean[total];
          return Window.run(ctx.main(), total, ctx.settings().setupConcurrency(), i -> {
            SioClient c = clients.get(i);
            if (c == null) {
              return Future.succeededFuture();
            }
            return rooms.join(c, roomIds[i / members]).onSuccess(v -> ok[i] = true);
          }).map(v -> {
            joined = new ArrayList<>(roomCount);
            joinedIndices = new ArrayList<>(roomCount);
            for (int r = 0; r < roomCount; r++) {
              joined.add(new ArrayList<>(members));
              joinedIndices.add(new ArrayList<>(members));
            }
            for (int i = 0; i < total; i++) {
              if (ok[i]) {
                joined.get(i / members).add(clients.get(i));
                joinedIndices.get(i / members).add(i);
                joinedCount++;
              }
            }
            return this;
          });
        });
  }

  private SioClient firstConnected(List<SioClient> clients, int room) {
    for (int i = room * members; i < Math.min(sockets, (room + 1) * members); i++) {
      SioClient c = clients.get(i);
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  int roomCount() {
    return roomCount;
  }

  String roomId(int room) {
    return roomIds[room];
  }

  /** The sockets that joined room {@code room}. */
  List<SioClient> members(int room) {
    return joined.get(room);
  }

  /** The socket indices (user {@code <prefix>-u<i>}) of {@link #members}, in the same order. */
  List<Integer> indices(int room) {
    return joinedIndices.get(room);
  }

  int joinedCount() {
    return joinedCount;
  }

  JsonObject toJson() {
    return new JsonObject().put("rooms", roomCount).put("membersPerRoom", members)
        .put("sockets", sockets).put("connected", connected).put("joined", joinedCount);
  }
}
