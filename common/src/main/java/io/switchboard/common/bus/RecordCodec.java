package io.switchboard.common.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Event-bus codec for an immutable record: passed by reference inside one JVM, as JSON between
 * cluster members. Records must therefore be immutable and Jackson-serializable.
 */
public final class RecordCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;

  public RecordCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    try {
      byte[] bytes = Json.MAPPER.writeValueAsBytes(value);
      buffer.appendInt(bytes.length).appendBytes(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    byte[] bytes = buffer.getBytes(pos + 4, pos + 4 + length);
    try {
      return Json.MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "record:" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
