package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.metrics.Clock;
import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.metrics.LatencySummary;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A connection storm as real clients make it: every socket joins its room the moment its CONNECT
 * succeeds, while the others are still connecting. Socket i is member {@code i % roomSize} of room
 * {@code i / roomSize}; on Switchboard the first member of a room to be connected creates it and the
 * others join once its id is known (the reference joins rooms into existence by name). Reports
 * {@code connectToJoined}, from opening the socket to the join's ack, beside the connect latency and
 * the failures by kind.
 */
public final class StormScenario implements Scenario {

  /** @param holdSeconds how long the joined sockets then stay open (drops are counted) */
  public record Options(Target target, int connections, int roomSize, double holdSeconds) {
    public JsonObject toJson() {
      return new JsonObject().put("target", target.name().toLowerCase()).put("connections", connections)
          .put("roomSize", roomSize).put("holdSeconds", holdSeconds);
    }
  }

  private final Options options;

  public StormScenario(Options options) {
    if (options.connections() < 1 || options.roomSize() < 1) {
      throw new IllegalArgumentException("storm needs at least one connection and a room size of at least 1");
    }
    this.options = options;
  }

  @Override
  public String name() {
    return "storm";
  }

  @Override
  public JsonObject options() {
    return options.toJson();
  }

  @Override
  public Future<JsonObject> run(LoadContext ctx) {
    int total = options.connections();
    int roomCount = (total + options.roomSize() - 1) / options.roomSize();
    Rooms rooms = new Rooms(ctx, options.target());
    Latency connectToJoined = ctx.metrics().latency("connectToJoined");
    // Per room: who creates it (the first member connected), and its id once created.
    AtomicIntegerArray creator = new AtomicIntegerArray(roomCount);
    List<Promise<String>> roomIds = new ArrayList<>(roomCount);
    for (int r = 0; r < roomCount; r++) {
      roomIds.add(Promise.promise());
    }
    List<Future<Void>> joins = java.util.Collections.synchronizedList(new ArrayList<>(total));
    String prefix = ctx.settings().userPrefix();
    ctx.phase("storm of " + total + " sockets, each joining as it connects");
    return ctx.fleet().connectAll(total, i -> prefix + "-u" + i, (c, packet) -> ctx.metrics().counter("events").increment(),
            (i, client, startedMicros) -> {
              int r = i / options.roomSize();
              Promise<String> id = roomIds.get(r);
              if (creator.compareAndSet(r, 0, 1)) {
                rooms.createOne(client, r).onComplete(id);
              }
              joins.add(id.future().compose(roomId -> rooms.join(client, roomId))
                  .onSuccess(v -> connectToJoined.record(Clock.micros() - startedMicros)));
            })
        .compose(clients -> {
          int connected = (int) clients.stream().filter(c -> c != null).count();
          ctx.phase("awaiting the joins of " + connected + " sockets");
          List<Future<Void>> all;
          synchronized (joins) {
            all = List.copyOf(joins);
          }
          return Future.join(all).otherwiseEmpty().map(v -> new JsonObject().put("connected", connected)
              .put("joined", all.stream().filter(Future::succeeded).count()));
        })
        .compose(result -> {
          ctx.phase("holding " + FanoutScenario.fmt(options.holdSeconds()) + " s");
          return ctx.delay((long) (options.holdSeconds() * 1000))
              .map(v -> result.put("connectedAtEnd", ctx.metrics().connections().get())
                  .put("verdict", verdict(ctx, result)));
        });
  }

  private JsonObject verdict(LoadContext ctx, JsonObject result) {
    LatencySummary joined = LatencySummary.of(ctx.metrics().latency("connectToJoined").total());
    return new JsonObject()
        .put("joined", result.getLong("joined"))
        .put("notJoined", options.connections() - result.getLong("joined"))
        .put("connectToJoinedP50Ms", joined.p50())
        .put("connectToJoinedP99Ms", joined.p99());
  }
}
