package io.switchboard.message.store;

/**
 * How {@link MessageWriter} batches: at most {@code batchMax} messages per transaction (1: no
 * batching), an optional {@code windowMs} to wait for more, {@code lanes} transactions at once,
 * at most {@code maxPending} messages waiting, each retried for {@code deadlineMs} at most.
 */
public record WriterSettings(int batchMax, long windowMs, int lanes, int maxPending, long deadlineMs) {
  public WriterSettings {
    if (batchMax < 1 || lanes < 1 || maxPending < 1 || deadlineMs < 1 || windowMs < 0) {
      throw new IllegalArgumentException("message-service: batch settings must be positive: " + this);
    }
  }
}
