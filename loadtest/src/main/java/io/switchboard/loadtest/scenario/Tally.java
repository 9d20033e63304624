package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.metrics.WireBytes;
import io.switchboard.loadtest.metrics.Latency;
import io.switchboard.loadtest.metrics.LatencySummary;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The messages of one phase of a run (a rate step, a warm-up, a measurement window): what was sent,
 * what was expected and delivered, the acks, and the delivery and ack latencies of exactly those
 * messages, wherever and whenever they arrive. Thread-safe.
 */
final class Tally {
  final int index;
  final String name;
  final double offeredRate;
  // Recorders for wait-free recording from every event loop; totals read under this tally's lock.
  private final Recorder deliveryRecorder = new Recorder(Latency.HIGHEST_MICROS, 3);
  private final Recorder ackRecorder = new Recorder(Latency.HIGHEST_MICROS, 3);
  private final Histogram deliveryTotal = new Histogram(Latency.HIGHEST_MICROS, 3);
  private final Histogram ackTotal = new Histogram(Latency.HIGHEST_MICROS, 3);
  final LongAdder sent = new LongAdder();
  final LongAdder expected = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder acked = new LongAdder();
  final LongAdder ackErrors = new LongAdder();
  final LongAdder ackLost = new LongAdder();
  final LongAdder skipped = new LongAdder();
  volatile double seconds;
  /** CPU seconds each watched process tree used from the start of sending to the end of the drain. */
  volatile Map<String, Double> cpuSeconds = Map.of();
  /** The phase's bytes on the wire ({@code --wire-bytes}), or null. */
  volatile WireBytes.Totals wire;

  Tally(int index, String name, double offeredRate) {
    this.index = index;
    this.name = name;
    this.offeredRate = offeredRate;
  }

  void recordDelivery(long micros) {
    delivered.increment();
    deliveryRecorder.recordValue(clamp(micros));
  }

  void recordAck(long micros) {
    acked.increment();
    ackRecorder.recordValue(clamp(micros));
  }

  /** Everything recorded so far, as a stable histogram (a copy). */
  synchronized Histogram delivery() {
    deliveryTotal.add(deliveryRecorder.getIntervalHistogram());
    return deliveryTotal.copy();
  }

  synchronized Histogram ack() {
    ackTotal.add(ackRecorder.getIntervalHistogram());
    return ackTotal.copy();
  }

  private static long clamp(long micros) {
    return Math.max(0, Math.min(micros, Latency.HIGHEST_MICROS));
  }

  /** Acks neither received nor failed yet. */
  long acksOutstanding() {
    return sent.sum() - acked.sum() - ackErrors.sum() - ackLost.sum();
  }

  double deliveryRatio() {
    long e = expected.sum();
    return e == 0 ? 1.0 : (double) delivered.sum() / e;
  }

  double deliveryP99Ms() {
    Histogram h = delivery();
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
  }

  double ackP99Ms() {
    Histogram h = ack();
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0;
  }

  /**
   * The watched processes' CPU in milliseconds per message sent: one entry per process tree and
   * {@code total}; empty when none was watched.
   */
  JsonObject cpuMsPerMessage() {
    JsonObject out = new JsonObject();
    long messages = sent.sum();
    if (cpuSeconds.isEmpty() || messages == 0) {
      return out;
    }
    double total = 0;
    for (Map.Entry<String, Double> e : cpuSeconds.entrySet()) {
      out.put(e.getKey(), round3(e.getValue() * 1000 / messages));
      total += e.getValue();
    }
    return out.put("total", round3(total * 1000 / messages));
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  void cpu(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> used = new LinkedHashMap<>();
    after.forEach((name, seconds) -> used.put(name, seconds - before.getOrDefault(name, seconds)));
    cpuSeconds = used;
  }

  void wire(WireBytes.Totals before, WireBytes.Totals after) {
    wire = after.minus(before);
  }

  /**
   * Bytes on the wire of the phase: what the clients received (every delivery, confirmation and ack,
   * with their frames) and sent, in total and per message sent.
   */
  JsonObject wireJson() {
    long messages = Math.max(1, sent.sum());
    return new JsonObject().put("receivedBytes", wire.received()).put("sentBytes", wire.sent())
        .put("receivedBytesPerMessage", Math.round((double) wire.received() / messages))
        .put("sentBytesPerMessage", Math.round((double) wire.sent() / messages));
  }

  JsonObject toJson() {
    double s = Math.max(seconds, 1e-9);
    JsonObject cpu = cpuMsPerMessage();
    JsonObject out = new JsonObject()
        .put("name", name)
        .put("offeredRate", offeredRate)
        .put("seconds", Math.round(seconds * 10) / 10.0)
        .put("sent", sent.sum())
        .put("sentPerSecond", Math.round(sent.sum() / s))
        .put("skipped", skipped.sum())
        .put("acked", acked.sum())
        .put("ackedPerSecond", Math.round(acked.sum() / s))
        .put("ackErrors", ackErrors.sum())
        .put("ackLost", ackLost.sum())
        .put("ackOutstanding", acksOutstanding())
        .put("expectedDeliveries", expected.sum())
        .put("delivered", delivered.sum())
        .put("deliveryRatio", Math.round(deliveryRatio() * 100000) / 100000.0)
        .put("offeredDeliveriesPerSecond", Math.round(expected.sum() / s))
        .put("deliveriesPerSecond", Math.round(delivered.sum() / s))
        .put("latency", new JsonObject()
            .put("delivery", LatencySummary.of(delivery()).toJson())
            .put("ack", LatencySummary.of(ack()).toJson()));
    if (wire != null) {
      out.put("wire", wireJson());
    }
    return cpu.isEmpty() ? out : out.put("cpuMsPerMessage", cpu);
  }
}
