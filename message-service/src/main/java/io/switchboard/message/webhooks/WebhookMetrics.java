package io.switchboard.message.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * switchboard_webhooks_*: deliveries by result, request latency, and the backlog as last counted
 * (outbox rows, pending deliveries, dead letters, age of the oldest outbox row).
 */
final class WebhookMetrics {
  private final Counter delivered;
  private final Counter failed;
  private final Counter dead;
  private final Timer latency;
  final AtomicLong outbox = new AtomicLong();
  final AtomicLong pending = new AtomicLong();
  final AtomicLong deadLetters = new AtomicLong();
  final AtomicLong oldestOutboxSeconds = new AtomicLong();

  WebhookMetrics(MeterRegistry registry) {
    delivered = results(registry, "delivered");
    failed = results(registry, "failed");
    dead = results(registry, "dead");
    latency = Timer.builder("switchboard.webhooks.latency").description("Duration of webhook requests, whatever their result")
        .register(registry);
    Gauge.builder("switchboard.webhooks.outbox", outbox, AtomicLong::get)
        .description("Stored messages whose webhook deliveries are not made yet").register(registry);
    Gauge.builder("switchboard.webhooks.outbox.oldest.seconds", oldestOutboxSeconds, AtomicLong::get)
        .description("Age of the oldest webhook outbox row").register(registry);
    Gauge.builder("switchboard.webhooks.pending", pending, AtomicLong::get)
        .description("Webhook deliveries waiting for their first attempt or a retry").register(registry);
    Gauge.builder("switchboard.webhooks.dead.letters", deadLetters, AtomicLong::get)
        .description("Webhook deliveries that failed every attempt (until redelivered or deleted)").register(registry);
  }

  private static Counter results(MeterRegistry registry, String result) {
    return Counter.builder("switchboard.webhooks.deliveries").tag("result", result)
        .description("Webhook attempts by result: delivered, failed (retried later), dead (no attempt left)")
        .register(registry);
  }

  void attempt(long nanos, boolean ok, boolean isDead) {
    latency.record(nanos, TimeUnit.NANOSECONDS);
    (ok ? delivered : isDead ? dead : failed).increment();
  }
}
