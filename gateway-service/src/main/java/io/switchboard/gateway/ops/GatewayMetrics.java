package io.switchboard.gateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.runtime.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's own meters (Vert.x's HTTP, event-bus and pool meters come with vertx-micrometer).
 * One instance per process, shared by every event loop; all methods are thread-safe.
 */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final Counter connects;
  private final Counter joins;
  private final Counter received;
  private final Counter messagesDelivered;
  private final Counter eventsDelivered;
  private final Counter reorderHeld;
  private final Timer deliveryLatency;
  private final Timer ackLatency;
  private final Map<String, Counter> byTag = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.connects = Counter.builder("switchboard.gateway.connects").description("Sockets connected (auth passed)")
        .register(registry);
    this.joins = Counter.builder("switchboard.gateway.joins").description("Rooms joined by sockets").register(registry);
    this.received = Counter.builder("switchboard.messages.received")
        .description("send-message requests accepted by validation").register(registry);
    this.messagesDelivered = Counter.builder("switchboard.messages.delivered")
        .description("Message events (created, confirmed) written to sockets").register(registry);
    this.eventsDelivered = Counter.builder("switchboard.gateway.events.delivered")
        .description("Events of every kind written to sockets").register(registry);
    this.reorderHeld = Counter.builder("switchboard.gateway.reorder.held")
        .description("Confirmations held back until the lower seqs of their room arrived").register(registry);
    this.deliveryLatency = Metrics.latency(registry, "switchboard.delivery.latency",
        "From publishing a message event to writing it to the sockets of this node");
    this.ackLatency = Metrics.latency(registry, "switchboard.ack.latency",
        "From receiving send-message to acking it as durable");
  }

  /** Gauges computed at scrape time from the live state. */
  public <T> void gauges(T state, ToDoubleFunction<T> connections, ToDoubleFunction<T> rooms) {
    Gauge.builder("switchboard.gateway.connections", state, connections).description("Connected sockets")
        .register(registry);
    Gauge.builder("switchboard.gateway.rooms", state, rooms).description("Rooms with a socket on this node")
        .register(registry);
  }

  public void capacity(int capacity) {
    Gauge.builder("switchboard.gateway.connections.capacity", () -> capacity)
        .description("Sessions this gateway accepts (from their handshake) before refusing with SERVER_AT_CAPACITY")
        .register(registry);
  }

  /** Engine.IO sessions open, connected or not: those not connected yet are sessions minus connections. */
  public void sessions(java.util.function.IntSupplier count) {
    Gauge.builder("switchboard.gateway.sessions", count::getAsInt)
        .description("Engine.IO sessions open, from their handshake, authenticated or not").register(registry);
  }

  public void transportGauge(String transport, ToDoubleFunction<String> count) {
    Gauge.builder("switchboard.gateway.connections.by.transport", transport, count)
        .description("Connected sockets by their current transport").tag("transport", transport).register(registry);
  }

  public void connected() {
    connects.increment();
  }

  public void disconnected(String reason) {
    counter("switchboard.gateway.disconnects", "Sockets disconnected, by reason", "reason", reason).increment();
  }

  public void refused(ErrorCode code) {
    counter("switchboard.gateway.refusals", "Connections refused (handshakes and CONNECTs), by code", "code",
        code.name()).increment();
  }

  /** An HTTP connection was closed because a request's head or body did not arrive in time. */
  public void httpTimeout(String kind) {
    counter("switchboard.gateway.http.timeouts", "HTTP connections closed for a request read too slowly, by part",
        "part", kind).increment();
  }

  public void joined() {
    joins.increment();
  }

  public void request(String event, ErrorCode failure) {
    counter("switchboard.gateway.requests", "Client requests, by event and outcome", "event", event,
        "outcome", failure == null ? "ok" : failure.name()).increment();
  }

  public void rateLimited(io.switchboard.gateway.admission.RateClass type) {
    counter("switchboard.gateway.rate.limited", "Requests refused with RATE_LIMITED, by rate class", "class",
        type.name().toLowerCase()).increment();
  }

  public void abuseDisconnect() {
    counter("switchboard.gateway.abuse.disconnects", "Sockets cut off for flooding past their rate limits").increment();
  }

  public void messageReceived() {
    received.increment();
  }

  public void messageAcked(long startNanos) {
    ackLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  public void messageFailed(ErrorCode code) {
    counter("switchboard.messages.failed", "send-message requests not made durable, by code", "code", code.name())
        .increment();
  }

  /** An event was written to {@code sockets} sockets of this node, {@code sentAt} epoch ms after it was published. */
  public void delivered(String event, int sockets, long sentAt) {
    if (sockets == 0) {
      return;
    }
    eventsDelivered.increment(sockets);
    if (ClientEvents.MESSAGE_CREATED.equals(event) || ClientEvents.MESSAGE_CONFIRMED.equals(event)) {
      messagesDelivered.increment(sockets);
      deliveryLatency.record(Math.max(0, System.currentTimeMillis() - sentAt), TimeUnit.MILLISECONDS);
    }
  }

  /** A room's sequenced event arrived before a lower seq of the room and was held back. */
  public void reorderHeld() {
    reorderHeld.increment();
  }

  /**
   * Held events were delivered without the seqs they waited for: the window passed ({@code timeout})
   * or too many were held ({@code overflow}).
   */
  public void reorderGapFlushed(String reason) {
    counter("switchboard.gateway.reorder.gaps",
        "Seq gaps given up on: held confirmations delivered without the lower seqs, by reason", "reason", reason)
        .increment();
  }

  public Timer deliveryLatency() {
    return deliveryLatency;
  }

  public Timer ackLatency() {
    return ackLatency;
  }

  public double eventsDelivered() {
    return eventsDelivered.count();
  }

  public double messagesReceived() {
    return received.count();
  }

  private Counter counter(String name, String description, String... tags) {
    return byTag.computeIfAbsent(name + String.join("|", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
