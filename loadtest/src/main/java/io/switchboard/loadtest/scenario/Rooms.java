package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.engine.Window;
import io.switchboard.loadtest.metrics.Clock;
import io.switchboard.loadtest.metrics.Counter;
import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.protocol.JsonScan;
import io.switchboard.loadtest.protocol.SioClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import java.util.function.IntFunction;

/**
 * Rooms for a target: created with {@code create-room} on Switchboard (the creator is any connected
 * socket), or simply named for the reference server; and {@code join-room} / {@code leave-room} with
 * their ack latencies recorded ({@code join}, {@code leave}) and failures counted.
 */
final class Rooms {
  private final LoadContext ctx;
  private final Target target;
  private final String tag;
  private final Latency joinLatency;
  private final Latency leaveLatency;
  private final Counter joinFailed;

  Rooms(LoadContext ctx, Target target) {
    this.ctx = ctx;
    this.target = target;
    this.tag = ctx.settings().userPrefix();
    this.joinLatency = ctx.metrics().latency("join");
    this.leaveLatency = ctx.metrics().latency("leave");
    this.joinFailed = ctx.metrics().counter("joinFailed");
  }

  /**
   * Ids of {@code count} rooms; {@code creator.apply(r)} is a connected socket that may create room r
   * (only asked on Switchboard). A room that could not be created has a null id.
   */
  Future<String[]> create(int count, IntFunction<SioClient> creator) {
    String[] ids = new String[count];
    if (target == Target.REFERENCE) {
      for (int r = 0; r < count; r++) {
        ids[r] = tag + "-r" + r;
      }
      return Future.succeededFuture(ids);
    }
    return Window.run(ctx.main(), count, ctx.settings().setupConcurrency(), r -> {
      SioClient c = creator.apply(r);
      if (c == null) {
        ctx.metrics().counter("createRoomFailed").increment();
        return Future.succeededFuture();
      }
      return createOne(c, r).onSuccess(id -> ids[r] = id);
    }).map(v -> ids);
  }

  /** Room {@code r} created by {@code c} (Switchboard) or named (the reference); its id. */
  Future<String> createOne(SioClient c, int r) {
    if (target == Target.REFERENCE) {
      return Future.succeededFuture(tag + "-r" + r);
    }
    String payload = "{\"name\":" + JsonScan.quote(tag + "-r" + r) + ",\"kind\":\"public\"}";
    long start = Clock.micros();
    return onLoop(c, () -> c.request("create-room", payload, ctx.settings().requestTimeoutMs()))
        .map(Rooms::roomId)
        .onSuccess(id -> ctx.metrics().latency("create").record(Clock.micros() - start))
        .onFailure(f -> ctx.metrics().counter("createRoomFailed").increment());
  }

  private static String roomId(String ackData) {
    JsonArray args = new JsonArray(ackData);
    var ack = args.getJsonObject(0);
    if (!Boolean.TRUE.equals(ack.getBoolean("ok"))) {
      throw new IllegalStateException("create-room refused: " + ackData);
    }
    return ack.getJsonObject("room").getString("id");
  }

  /** Joins {@code c} to a room; fails when the ack is not ok. */
  Future<Void> join(SioClient c, String roomId) {
    if (roomId == null) {
      joinFailed.increment();
      return Future.failedFuture("room was not created");
    }
    long start = Clock.micros();
    return onLoop(c, () -> c.request("join-room", "{\"roomId\":" + JsonScan.quote(roomId) + "}",
        ctx.settings().requestTimeoutMs()))
        .compose(data -> {
          if (!data.contains("\"ok\":true")) {
            return Future.failedFuture("join-room refused: " + data);
          }
          joinLatency.record(Clock.micros() - start);
          return Future.<Void>succeededFuture();
        })
        .onFailure(f -> joinFailed.increment());
  }

  Future<Void> leave(SioClient c, String roomId) {
    long start = Clock.micros();
    return onLoop(c, () -> c.request("leave-room", "{\"roomId\":" + JsonScan.quote(roomId) + "}",
        ctx.settings().requestTimeoutMs()))
        .compose(data -> data.contains("\"ok\":true") ? Future.<Void>succeededFuture()
            : Future.failedFuture("leave-room refused: " + data))
        .onSuccess(v -> leaveLatency.record(Clock.micros() - start))
        .onFailure(f -> ctx.metrics().counter("leaveFailed").increment());
  }

  /** Runs a client operation on the client's event loop. */
  static <T> Future<T> onLoop(SioClient c, java.util.function.Supplier<Future<T>> op) {
    Promise<T> p = Promise.promise();
    c.runOnContext(() -> op.get().onComplete(p));
    return p.future();
  }
}
