package io.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One way to Switchboard: {@link HttpTransport} (any service, with the service token) or
 * {@link BusTransport} (members of the cluster). A call sends the HTTP API's body of an operation
 * (docs/protocol.md section 6) and completes with the reply, or fails with a
 * {@link SwitchboardException}; it does not retry (the client does).
 */
public interface Transport extends AutoCloseable {
  /** The operations of the service API, with their HTTP paths. */
  enum Operation {
    PUBLISH("/api/publish"),
    POST_MESSAGE("/api/messages"),
    MANAGE_ROOM("/api/rooms");

    private final String path;

    Operation(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  CompletableFuture<JsonNode> call(Operation operation, ObjectNode body, Duration timeout);

  @Override
  default void close() {}
}
