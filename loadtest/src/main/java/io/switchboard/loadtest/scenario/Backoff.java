package io.switchboard.loadtest.scenario;

import io.vertx.core.json.JsonObject;

/**
 * The reconnection delay of the official client (socket.io-client's {@code Backoff}, factor 2): before
 * attempt {@code n} (0 for the first) it waits {@code delayMs * 2^n}, moved by up to {@code jitter} of
 * itself either way, at most {@code delayMaxMs} (or {@code delayMs} when that is larger). socket.io-client's defaults are 1000 ms, 5000 ms and
 * 0.5: the first reconnect comes 0.5 to 1.5 s after the drop. A delay of 0 reconnects at once.
 */
public record Backoff(long delayMs, long delayMaxMs, double jitter) {

  public Backoff {
    if (delayMs < 0 || delayMaxMs < 0 || jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("reconnect delays must be >= 0 and the jitter within 0..1");
    }
  }

  /** The wait before attempt {@code attempt} (0-based); {@code random} is uniform in [0, 1). */
  public long delayMs(int attempt, double random) {
    double ms = delayMs * Math.pow(2, Math.min(attempt, 30));
    if (jitter > 0) {
      double deviation = Math.floor(random * jitter * ms);
      // As socket.io-client: the same draw picks the direction and the size.
      ms = (((int) Math.floor(random * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
    }
    // A maximum below the first delay would shorten it: the first delay is then the bound.
    return (long) Math.max(0, Math.min(ms, Math.max(delayMaxMs, delayMs)));
  }

  public JsonObject toJson() {
    return new JsonObject().put("delayMs", delayMs).put("delayMaxMs", delayMaxMs).put("jitter", jitter);
  }
}
