package io.switchboard.message.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.runtime.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Meters of the write path: batches, their latency, what waits, what was stored or failed. */
public final class PersistMetrics {
  private final MeterRegistry registry;
  private final DistributionSummary batchSize;
  private final Timer batchLatency;
  private final Counter persisted;
  private final Counter duplicates;
  private final Counter postgresErrors;
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();

  public PersistMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batchSize = Metrics.sizes(registry, "switchboard.persist.batch.size", "Messages per write transaction", "messages");
    this.batchLatency = Metrics.latency(registry, "switchboard.persist.batch.latency",
        "Duration of one write transaction, commit included");
    this.persisted = Counter.builder("switchboard.messages.persisted").description("Messages committed")
        .register(registry);
    this.duplicates = Counter.builder("switchboard.messages.duplicates")
        .description("Sends of a client message id already stored").register(registry);
    this.postgresErrors = Counter.builder("switchboard.postgres.errors")
        .description("Failed write transactions (each retry counts)").register(registry);
    // Registered up front so that dashboards and alerts find the series before the first failure.
    failed(ErrorCode.PERSIST_FAILED.name(), 0);
  }

  /** The number of messages waiting or being written in one writer (one per verticle instance), read at scrape time. */
  public void pending(String writer, Supplier<Number> pending) {
    Gauge.builder("switchboard.persist.pending", pending).description("Messages waiting to be written")
        .tag("writer", writer).register(registry);
  }

  void batch(int size, long startNanos) {
    batchSize.record(size);
    batchLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void stored(boolean duplicate) {
    (duplicate ? duplicates : persisted).increment();
  }

  void postgresError() {
    postgresErrors.increment();
  }

  void failed(String code) {
    failed(code, 1);
  }

  private void failed(String code, int count) {
    failed.computeIfAbsent(code, c -> Counter.builder("switchboard.messages.persist.failed")
        .description("Messages not made durable, by code").tag("code", c).register(registry)).increment(count);
  }
}
