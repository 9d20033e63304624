package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.switchboard.loadtest.metrics.Clock;
import io.switchboard.loadtest.metrics.Counter;
import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.metrics.LatencySummary;
import io.switchboard.loadtest.protocol.ConnectFailure;
import io.switchboard.loadtest.protocol.Endpoint;
import io.switchboard.loadtest.protocol.JsonScan;
import io.switchboard.loadtest.protocol.SioClient;
import io.switchboard.loadtest.protocol.SioPacket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reconnect storm after a gateway dies. {@code rooms x members} sockets chat on gateway A (the
 * {@code --url}s) at an aggregate open-loop rate; after {@code killAfterSeconds} the scenario kills A
 * ({@code kill -9} of the given PIDs, or someone else does); every socket whose connection drops
 * reconnects to gateway B (the failover URLs) as the official client would (its backoff with jitter),
 * and rejoins its room with {@code sinceSeq}: the highest seq it holds with every lower one held. Sends
 * issued while a socket is down wait for the rejoin (socket.io-client buffers them); sends whose ack
 * was lost with A are sent again with the same {@code clientMsgId}, and their ack tells the stored seq.
 * Sending goes on for {@code afterSeconds} after the kill, then the scenario waits (at most
 * {@code drainMs}) for the rejoins, the acks and the deliveries.
 *
 * <p>Reports: {@code dropToRejoined} (from the drop of the socket to A to the rejoin's ack on B) and
 * {@code reconnectToRejoined} (from opening the socket to B), reconnect failures by kind, sockets that
 * never came back, and the accounting of {@link FailoverLedger}: missed (an acked message some other
 * member of its room does not hold at the end, live or recovered), duplicates, unacked.
 *
 * <p>Confinement: a member's state lives on its socket's event loop (the same for its socket to A and
 * to B); the ledger and the counters are thread-safe; the sending schedule runs on the main context.
 */
public final class FailoverScenario implements Scenario {
  static final String CREATED = "room-message-created";
  static final String CONFIRMED = "room-message-confirmed";

  /**
   * @param rate aggregate messages per second, before, during and after the failover
   * @param killAfterSeconds sending before A is killed
   * @param afterSeconds sending after the kill
   * @param failoverUrls gateway B; socket i reconnects to URL i modulo their number
   * @param killPids processes killed with SIGKILL at {@code killAfterSeconds} (none: A is killed by someone else)
   * @param reconnect the reconnection delay
   * @param reconnectAttempts attempts per drop before a socket gives up (socket.io-client: unlimited)
   * @param drainMs the longest wait after sending for rejoins, acks and deliveries
   */
  public record Options(Target target, int rooms, int members, double rate, double killAfterSeconds,
      double afterSeconds, List<String> failoverUrls, List<Long> killPids, Backoff reconnect, int reconnectAttempts,
      long drainMs, int bodyBytes) {

    public JsonObject toJson() {
      return new JsonObject().put("target", target.name().toLowerCase()).put("rooms", rooms).put("members", members)
          .put("rate", rate).put("killAfterSeconds", killAfterSeconds).put("afterSeconds", afterSeconds)
          .put("failoverUrls", new JsonArray(new ArrayList<>(failoverUrls)))
          .put("killPids", new JsonArray(new ArrayList<>(killPids))).put("reconnect", reconnect.toJson())
          .put("reconnectAttempts", reconnectAttempts).put("drainMs", drainMs).put("bodyBytes", bodyBytes);
    }
  }

  /**
   * One message of a member: its order in the run, its idempotency key, its due time, and whether it
   * was emitted before (its ack lost with A: the next emission is a re-send).
   */
  private record Send(long order, String clientMsgId, long dueMicros, boolean emitted) {}

  private final Options options;
  private final List<Endpoint> failover;
  private final FailoverLedger ledger = new FailoverLedger();
  private final List<List<Member>> roomMembers = new ArrayList<>();
  private final AtomicInteger down = new AtomicInteger();
  private final AtomicInteger droppedSockets = new AtomicInteger();
  private final AtomicInteger gaveUp = new AtomicInteger();
  /** Sends neither acked, nor refused, nor abandoned by a socket that gave up. */
  private final AtomicLong open = new AtomicLong();
  private volatile boolean finishing;
  private volatile long killedMicros = -1;
  private LoadContext ctx;
  private String body;
  private Map<String, Double> cpuBefore = Map.of();
  private Latency dropToRejoined;
  private Latency reconnectToRejoined;
  private Latency delivery;
  private Latency ack;

  public FailoverScenario(Options options) {
    if (options.rooms() < 1 || options.members() < 2) {
      throw new IllegalArgumentException("failover needs at least one room of at least 2 members");
    }
    if (options.rate() <= 0 || options.killAfterSeconds() < 0 || options.afterSeconds() < 0) {
      throw new IllegalArgumentException("failover needs a positive --rate and non-negative --kill-after/--after");
    }
    if (options.failoverUrls().isEmpty()) {
      throw new IllegalArgumentException("failover needs --failover-url (gateway B)");
    }
    this.options = options;
    this.failover = options.failoverUrls().stream().map(Endpoint::parse).toList();
  }

  @Override
  public String name() {
    return "failover";
  }

  @Override
  public JsonObject options() {
    return options.toJson();
  }

  @Override
  public Future<JsonObject> run(LoadContext ctx) {
    this.ctx = ctx;
    this.body = "x".repeat(Math.max(1, options.bodyBytes()));
    dropToRejoined = ctx.metrics().latency("dropToRejoined");
    reconnectToRejoined = ctx.metrics().latency("reconnectToRejoined");
    delivery = ctx.metrics().latency("delivery");
    ack = ctx.metrics().latency("ack");
    Population population = Population.ofRooms(ctx, options.target(), options.rooms(), options.members());
    return population.setUp(this::onEvent)
        .compose(p -> adopt(p))
        .compose(v -> cpuNow())
        .compose(before -> {
          cpuBefore = before;
          ctx.phase("chatting on A at " + FanoutScenario.fmt(options.rate()) + " msg/s");
          ctx.vertx().setTimer(Math.max(1, (long) (options.killAfterSeconds() * 1000)), t -> kill());
          return send(options.killAfterSeconds() + options.afterSeconds());
        })
        .compose(v -> {
          ctx.phase("draining: rejoins, acks and deliveries");
          return ctx.awaitCondition(() -> down.get() == 0 && open.get() == 0 && ledger.missing() == 0,
              options.drainMs());
        })
        .compose(v -> cpuNow())
        .map(after -> {
          finishing = true;
          return result(population, after);
        });
  }

  /** CPU seconds of the watched process trees so far (none watched: empty). */
  private Future<Map<String, Double>> cpuNow() {
    return ctx.probe().watchesProcesses() ? ctx.probe().processCpu().otherwise(Map.of()) : Future.succeededFuture(Map.of());
  }

  /** Makes a member of every joined socket: registered in the ledger, attached, its drops followed. */
  private Future<Void> adopt(Population p) {
    List<Future<Void>> adopted = new ArrayList<>();
    for (int r = 0; r < p.roomCount(); r++) {
      List<Member> room = new ArrayList<>();
      List<SioClient> clients = p.members(r);
      List<Integer> indices = p.indices(r);
      for (int k = 0; k < clients.size(); k++) {
        Member m = new Member(indices.get(k), r, p.roomId(r), ctx.settings().userPrefix() + "-u" + indices.get(k));
        // Rooms are fresh and nothing is sent before every socket joined: each joined at seq 0.
        ledger.member(m.index, r, 0);
        room.add(m);
        Promise<Void> done = Promise.promise();
        SioClient c = clients.get(k);
        c.runOnContext(() -> {
          m.bind(c);
          done.complete();
        });
        adopted.add(done.future());
      }
      roomMembers.add(room);
    }
    return Future.all(adopted).mapEmpty();
  }

  /** Kills gateway A (SIGKILL, as kill -9), unless someone else does. */
  private void kill() {
    killedMicros = Clock.micros();
    if (options.killPids().isEmpty()) {
      ctx.phase("waiting for A to go down (no --kill-pid)");
      return;
    }
    for (long pid : options.killPids()) {
      boolean signalled = ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
      ctx.metrics().counter(signalled ? "killed" : "killFailed").increment();
    }
    ctx.phase("A killed: reconnecting to B");
  }

  /** Open-loop sending: message k due at {@code start + k / rate}; room {@code k % rooms}, its members in turn. */
  private Future<Void> send(double seconds) {
    Promise<Void> done = Promise.promise();
    long startNanos = System.nanoTime();
    long startMicros = Clock.micros();
    long total = Math.round(options.rate() * seconds);
    long[] issued = {0};
    ctx.vertx().setPeriodic(1, id -> {
      double elapsed = (System.nanoTime() - startNanos) / 1e9;
      long due = Math.min(total, (long) Math.floor(elapsed * options.rate()) + 1);
      while (issued[0] < due) {
        long k = issued[0]++;
        sendOne(k, startMicros + (long) (k * 1e6 / options.rate()));
      }
      if (killedMicros >= 0 && !finishing) {
        ctx.phase("after the kill: " + down.get() + " sockets down, " + gaveUp.get() + " gave up");
      }
      if (issued[0] >= total || ctx.stopping()) {
        ctx.vertx().cancelTimer(id);
        done.complete();
      }
    });
    return done.future();
  }

  private void sendOne(long k, long dueMicros) {
    int rooms = roomMembers.size();
    List<Member> members = roomMembers.get((int) (k % rooms));
    if (members.size() < 2) {
      ctx.metrics().counter("skipped").increment();
      return;
    }
    Member sender = members.get((int) ((k / rooms) % members.size()));
    Send s = new Send(k, MessageProbe.uuid(), dueMicros, false);
    ledger.sent(s.clientMsgId(), sender.room, sender.index);
    open.incrementAndGet();
    ctx.metrics().counter("sent").increment();
    ctx.fleet().loopOf(sender.index).runOnContext(v -> sender.submit(s));
  }

  /** Every socket's events: stored messages (confirmations, durable copies) by seq, delivery latency. */
  private void onEvent(SioClient client, SioPacket packet) {
    Member m = client.attachment();
    String event = packet.event();
    if (m == null) {
      return;
    }
    if (CONFIRMED.equals(event)) {
      m.receivedLive(JsonScan.longAfter(packet.data(), "\"seq\":", 0, -1));
    } else if (CREATED.equals(event)) {
      String data = packet.data();
      int meta = data.indexOf("\"meta\":");
      long lt = meta < 0 ? -1 : JsonScan.longAfter(data, "\"lt\":", meta, -1);
      if (lt > 0) {
        delivery.record(Clock.micros() - lt);
      }
      if (data.contains("\"optimistic\":false")) {
        m.receivedLive(JsonScan.longAfter(data, "\"seq\":", Math.max(0, data.indexOf("\"new\":")), -1));
      }
    }
  }

  /** One simulated client: its socket (to A, then to B), its room, its outgoing messages. */
  private final class Member {
    final int index;
    final int room;
    final String roomId;
    final String userId;
    SioClient client;
    boolean live = true;
    boolean gone;
    boolean everDropped;
    long droppedMicros = -1;
    int attempts;
    /** The last rejoin, for the missed samples: sinceSeq asked, the ack's lastSeq, messages recovered. */
    volatile String lastRejoin = "";
    /** Sends to emit once in the room again (buffered while down, or their ack lost with A), in order. */
    final TreeMap<Long, Send> waiting = new TreeMap<>();
    final Map<String, Send> inFlight = new HashMap<>();

    Member(int index, int room, String roomId, String userId) {
      this.index = index;
      this.room = room;
      this.roomId = roomId;
      this.userId = userId;
    }

    /** Takes {@code c} as this member's socket: events go to it, its drop starts a reconnect. */
    void bind(SioClient c) {
      client = c;
      c.attach(this);
      SioClient.CloseListener fleet = c.closeListener();
      c.closeListener((cl, reason) -> {
        fleet.onClose(cl, reason);
        if (cl == client) {
          onDrop(reason);
        }
      });
      if (!c.isConnected()) {
        onDrop("closed before it was bound");
      }
    }

    void submit(Send s) {
      if (gone) {
        abandon(1);
      } else if (live) {
        emit(s);
      } else {
        waiting.put(s.order(), s);
        ctx.metrics().counter("buffered").increment();
      }
    }

    private void emit(Send s) {
      inFlight.put(s.clientMsgId(), s);
      client.emit("send-message", MessageProbe.payload(roomId, s.clientMsgId(), body, s.dueMicros(), 0),
          data -> onAck(s, data));
    }

    private void onAck(Send s, String data) {
      inFlight.remove(s.clientMsgId());
      if (data == null) {
        // The connection closed first: the same clientMsgId goes again after the rejoin.
        ctx.metrics().counter("ackLostOnDrop").increment();
        if (gone) {
          abandon(1);
        } else {
          waiting.put(s.order(), new Send(s.order(), s.clientMsgId(), s.dueMicros(), true));
        }
        return;
      }
      open.decrementAndGet();
      if (data.startsWith("[{\"ok\":true")) {
        long seq = JsonScan.longAfter(data, "\"seq\":", 0, -1);
        if (!ledger.acked(s.clientMsgId(), seq)) {
          ctx.metrics().counter("ackSeqConflict").increment();
        }
        ack.record(Clock.micros() - s.dueMicros());
        ctx.metrics().counter("acked").increment();
        if (data.contains("\"duplicate\":true")) {
          ctx.metrics().counter("ackedDuplicate").increment();
        }
      } else {
        String code = errorCode(data);
        ctx.metrics().counter("ackFailed." + code).increment();
      }
    }

    void receivedLive(long seq) {
      if (seq < 1) {
        return;
      }
      ctx.metrics().counter(ledger.received(index, seq) ? "delivered" : "repeatLive").increment();
    }

    private void onDrop(String reason) {
      if (gone || finishing) {
        return;
      }
      if (live) {
        live = false;
        droppedMicros = Clock.micros();
        down.incrementAndGet();
        if (!everDropped) {
          everDropped = true;
          droppedSockets.incrementAndGet();
        }
      }
      scheduleReconnect();
    }

    private void scheduleReconnect() {
      if (finishing || ctx.stopping()) {
        giveUp("the run ended");
        return;
      }
      if (options.reconnectAttempts() > 0 && attempts >= options.reconnectAttempts()) {
        giveUp("reconnect attempts exhausted");
        return;
      }
      long delay = options.reconnect().delayMs(attempts, ThreadLocalRandom.current().nextDouble());
      attempts++;
      ctx.metrics().counter("reconnectAttempts").increment();
      if (delay <= 0) {
        client.runLater(this::reconnect);
      } else {
        ctx.vertx().setTimer(delay, t -> reconnect());
      }
    }

    private void reconnect() {
      Endpoint b = failover.get(Math.floorMod(index, failover.size()));
      ctx.fleet().connectOne(index, b, "reconnectFailed.", userId, FailoverScenario.this::onEvent,
              (i, c, startedMicros) -> {
                bind(c);
                rejoin(c, startedMicros);
              })
          .onFailure(f -> {
            ConnectFailure cf = ConnectFailure.of(f);
            if (ConnectFailure.AUTH.equals(cf.kind())) {
              // A refused CONNECT: the official client does not retry it by itself.
              giveUp("CONNECT refused: " + cf.code());
            } else {
              scheduleReconnect();
            }
          });
    }

    private void rejoin(SioClient c, long startedMicros) {
      if (!c.isConnected()) {
        return;
      }
      long since = ledger.sinceSeq(index);
      String payload = "{\"roomId\":" + JsonScan.quote(roomId) + ",\"sinceSeq\":" + since + "}";
      c.request("join-room", payload, ctx.settings().requestTimeoutMs()).onComplete(r -> {
        if (c != client) {
          return;
        }
        if (r.failed()) {
          ctx.metrics().counter("rejoinFailed").increment();
          // A timeout: start over with a new connection (its close schedules the reconnect).
          c.close();
          return;
        }
        JsonObject joined = new JsonArray(r.result()).getJsonObject(0);
        if (!Boolean.TRUE.equals(joined.getBoolean("ok"))) {
          ctx.metrics().counter("rejoinRefused." + errorCode(r.result())).increment();
          giveUp("join-room refused");
          c.disconnect();
          return;
        }
        long now = Clock.micros();
        dropToRejoined.record(now - droppedMicros);
        reconnectToRejoined.record(now - startedMicros);
        JsonArray missed = joined.getJsonArray("missed");
        long last = recovered(missed);
        lastRejoin = " (rejoined with sinceSeq " + since + ": lastSeq " + joined.getValue("lastSeq") + ", "
            + (missed == null ? 0 : missed.size()) + " missed returned, held up to " + ledger.sinceSeq(index) + ")";
        live = true;
        attempts = 0;
        droppedMicros = -1;
        down.decrementAndGet();
        ctx.metrics().counter("rejoined").increment();
        if (Boolean.TRUE.equals(joined.getBoolean("truncated"))) {
          ctx.metrics().counter("recoveryTruncated").increment();
          history(c, last);
        }
        flush();
      });
    }

    /** Takes the recovered messages; returns the highest seq among them (-1 for none). */
    private long recovered(JsonArray messages) {
      long last = -1;
      if (messages == null) {
        return last;
      }
      for (int i = 0; i < messages.size(); i++) {
        Long seq = messages.getJsonObject(i).getLong("seq");
        if (seq != null) {
          last = Math.max(last, seq);
          ctx.metrics().counter(ledger.received(index, seq) ? "recovered" : "repeatRecovered").increment();
        }
      }
      return last;
    }

    /** The rest of a truncated recovery, as a client would fetch it: fetch-history after the last seq. */
    private void history(SioClient c, long afterSeq) {
      if (afterSeq < 0 || c != client || !c.isConnected()) {
        return;
      }
      String payload = "{\"roomId\":" + JsonScan.quote(roomId) + ",\"afterSeq\":" + afterSeq + ",\"limit\":100}";
      c.request("fetch-history", payload, ctx.settings().requestTimeoutMs()).onComplete(r -> {
        if (r.failed()) {
          ctx.metrics().counter("historyFailed").increment();
          return;
        }
        JsonObject page = new JsonArray(r.result()).getJsonObject(0);
        long last = recovered(page.getJsonArray("messages"));
        if (Boolean.TRUE.equals(page.getBoolean("hasMore"))) {
          history(c, last);
        }
      });
    }

    /** Emits what waited, in the order it was issued; a re-send keeps its clientMsgId. */
    private void flush() {
      List<Send> pending = new ArrayList<>(waiting.values());
      waiting.clear();
      for (Send s : pending) {
        if (!live) {
          waiting.put(s.order(), s);
        } else {
          if (s.emitted()) {
            ctx.metrics().counter("resent").increment();
          }
          emit(s);
        }
      }
    }

    private void giveUp(String why) {
      if (gone) {
        return;
      }
      gone = true;
      ledger.lost(index);
      gaveUp.incrementAndGet();
      if (!live) {
        down.decrementAndGet();
      }
      live = false;
      ctx.metrics().counter("gaveUp").increment();
      // Sends still in flight are abandoned when their ack is lost (or settled if it comes).
      abandon(waiting.size());
      waiting.clear();
    }

    private void abandon(int sends) {
      open.addAndGet(-sends);
      ctx.metrics().counter("abandoned").add(sends);
    }
  }

  private static String errorCode(String ackData) {
    int at = ackData.indexOf("\"code\":\"");
    if (at < 0) {
      return "UNKNOWN";
    }
    String code = JsonScan.readString(ackData, at + 7, new int[1]);
    return code == null ? "UNKNOWN" : code;
  }

  private JsonObject result(Population population, Map<String, Double> cpuAfter) {
    Map<Integer, Member> byIndex = new HashMap<>();
    roomMembers.forEach(room -> room.forEach(m -> byIndex.put(m.index, m)));
    FailoverLedger.Summary s = ledger.summary(i -> byIndex.containsKey(i) ? byIndex.get(i).lastRejoin : "");
    JsonObject failures = new JsonObject();
    long failedAttempts = 0;
    for (Map.Entry<String, Object> e : ctx.metrics().counterTotals()) {
      if (e.getKey().startsWith("reconnectFailed.")) {
        failures.put(e.getKey().substring("reconnectFailed.".length()), e.getValue());
        failedAttempts += ((Number) e.getValue()).longValue();
      }
    }
    int dropped = droppedSockets.get();
    int notBack = gaveUp.get() + down.get();
    LatencySummary rejoin = LatencySummary.of(dropToRejoined.total());
    JsonObject failoverJson = new JsonObject()
        .put("killed", killedMicros >= 0 && !options.killPids().isEmpty())
        .put("socketsDropped", dropped)
        .put("rejoined", dropped - notBack)
        .put("notRejoined", notBack)
        .put("gaveUp", gaveUp.get())
        .put("stillDown", down.get())
        .put("failedReconnectAttempts", failedAttempts)
        .put("reconnectFailures", failures)
        .put("sendsStillOpen", open.get());
    JsonObject verdict = new JsonObject()
        .put("sockets", population.joinedCount())
        .put("dropped", dropped)
        .put("rejoined", dropped - notBack)
        .put("notRejoined", notBack)
        .put("failedReconnectAttempts", failedAttempts)
        .put("dropToRejoinedP50Ms", rejoin.p50())
        .put("dropToRejoinedP99Ms", rejoin.p99())
        .put("dropToRejoinedMaxMs", rejoin.max())
        .put("acked", s.acked())
        .put("missed", s.missed())
        .put("duplicates", s.duplicates())
        .put("unacked", s.unacked())
        .put("seqConflicts", s.seqConflicts());
    // CPU seconds each watched process used from the first send to the end of the drain; a killed process
    // (A) reads 0 at the end and is left out.
    JsonObject cpu = new JsonObject();
    cpuAfter.forEach((process, seconds) -> {
      double used = seconds - cpuBefore.getOrDefault(process, seconds);
      if (used >= 0) {
        cpu.put(process, Math.round(used * 100) / 100.0);
      }
    });
    return new JsonObject().put("population", population.toJson()).put("failover", failoverJson)
        .put("messages", s.toJson()).put("cpuSeconds", cpu).put("verdict", verdict);
  }
}
