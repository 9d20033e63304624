package io.switchboard.common.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/** {@link ServiceFailure} on the event bus: by reference in one JVM, as JSON {@code {code, message, extra}} between members. */
public final class ServiceFailureCodec implements MessageCodec<ServiceFailure, ServiceFailure> {

  @Override
  public void encodeToWire(Buffer buffer, ServiceFailure failure) {
    Buffer json = new JsonObject().put("code", failure.failureCode()).put("message", failure.getMessage())
        .put("extra", failure.extra()).toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public ServiceFailure decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    JsonObject json = new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    return new ServiceFailure(json.getInteger("code"), json.getString("message"), json.getJsonObject("extra"));
  }

  @Override
  public ServiceFailure transform(ServiceFailure failure) {
    return failure;
  }

  @Override
  public String name() {
    return "service-failure";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
