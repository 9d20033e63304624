package io.switchboard.sdk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.sdk.Transport.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Switchboard for a backend service: publish events to rooms and users, post durable messages,
 * create and run rooms (docs/protocol.md section 6). Every call is asynchronous and completes with a
 * typed reply, or fails with a {@link SwitchboardException} carrying the contract's error code.
 *
 * <p>Each attempt has {@link Builder#timeout}; transient failures (no answer, {@code UNAVAILABLE},
 * {@code INTERNAL}, {@code PERSIST_FAILED}) are retried with {@link Builder#retries} only where that
 * is safe: a post (its {@code clientMsgId} stays the same, so it is stored once), reads, and room
 * changes that come out the same when made twice. Publishing is retried too, which makes it
 * at-least-once: a client may get an event twice when an answer was lost (turn it off with
 * {@link Builder#retryPublish}). Creating a room, removing a member and deleting a room are tried
 * once. Thread-safe; make one per process.
 */
public final class SwitchboardClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Transport transport;
  private final Duration timeout;
  private final RetryPolicy retries;
  private final boolean retryPublish;

  private SwitchboardClient(Builder builder) {
    this.transport = Objects.requireNonNull(builder.transport, "a transport: http(...) or bus(...)");
    this.timeout = builder.timeout;
    this.retries = builder.retries;
    this.retryPublish = builder.retryPublish;
  }

  /** Over the gateway's HTTP API, e.g. {@code http("http://localhost:3000", System.getenv("SERVICE_TOKEN"))}. */
  public static Builder http(String baseUrl, String serviceToken) {
    Builder builder = new Builder();
    builder.baseUrl = URI.create(baseUrl);
    builder.serviceToken = serviceToken;
    return builder;
  }

  /** Over any transport, e.g. {@code new BusTransport(vertx.eventBus())} in a member of the cluster. */
  public static Builder over(Transport transport) {
    Builder builder = new Builder();
    builder.transport = transport;
    return builder;
  }

  /** Pushes an event to the connected clients of the target; completes once a gateway has accepted it. */
  public CompletableFuture<Void> publish(Publish publish) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode target = body.putObject("target");
    if (publish.target() instanceof Target.Room room) {
      target.put("room", room.roomId());
    } else if (publish.target() instanceof Target.User user) {
      target.put("user", user.userId());
      if (user.tenant() != null) {
        target.put("tenant", user.tenant());
      }
    } else {
      target.put("all", true);
    }
    body.put("event", publish.event()).set("data", JSON.valueToTree(publish.data()));
    return call(Operation.PUBLISH, body, retryPublish).thenApply(reply -> null);
  }

  /** Posts a durable message; a retry (the client's or yours, with the same clientMsgId) stores it once. */
  public CompletableFuture<PostedMessage> post(PostMessage message) {
    ObjectNode body = JSON.createObjectNode().put("tenant", message.tenant()).put("roomId", message.roomId())
        .put("body", message.body()).put("clientMsgId", message.clientMsgId());
    if (message.replyTo() != null) {
      body.put("replyTo", message.replyTo());
    }
    if (message.meta() != null) {
      body.set("meta", JSON.valueToTree(message.meta()));
    }
    if (message.sender() != null) {
      ObjectNode sender = body.putObject("sender").put("userId", message.sender().userId());
      if (message.sender().name() != null) {
        sender.put("name", message.sender().name());
      }
    }
    return call(Operation.POST_MESSAGE, body, true).thenApply(reply -> as(reply, PostedMessage.class));
  }

  /** The rooms of {@code tenant}, run by the system: an owner's rights, without being a member. */
  public Rooms rooms(String tenant) {
    return new Rooms(this, tenant, null);
  }

  CompletableFuture<JsonNode> call(Operation operation, ObjectNode body, boolean retrySafe) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    attempt(operation, body, retrySafe ? retries.maxAttempts() : 1, 1, result);
    return result;
  }

  private void attempt(Operation operation, ObjectNode body, int attempts, int attempt, CompletableFuture<JsonNode> result) {
    CompletableFuture<JsonNode> call;
    try {
      call = transport.call(operation, body, timeout);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((reply, failure) -> {
      if (failure == null) {
        result.complete(reply);
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (attempt < attempts && cause instanceof SwitchboardException se && se.transientFailure()) {
        long wait = retries.backoff(attempt + 1).toMillis();
        CompletableFuture.runAsync(() -> attempt(operation, body, attempts, attempt + 1, result),
            CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS));
      } else {
        result.completeExceptionally(cause);
      }
    });
  }

  static <T> T as(JsonNode reply, Class<T> type) {
    try {
      return JSON.treeToValue(reply, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("an answer of another shape than " + type.getSimpleName() + ": " + reply, e);
    }
  }

  @Override
  public void close() {
    transport.close();
  }

  /** Settings of a client; {@link #build} makes it. */
  public static final class Builder {
    private URI baseUrl;
    private String serviceToken;
    private Transport transport;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(10);
    private RetryPolicy retries = RetryPolicy.DEFAULT;
    private boolean retryPublish = true;

    private Builder() {}

    /** How long one attempt may wait for its answer (default 10 s); past it the attempt fails {@code UNAVAILABLE}. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** How long opening an HTTP connection may take (default 5 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout);
      return this;
    }

    /** Retries of transient failures where safe (default: 3 attempts, 200 ms doubling to 2 s). */
    public Builder retries(RetryPolicy retries) {
      this.retries = Objects.requireNonNull(retries);
      return this;
    }

    /** Whether publish is retried (default true: at-least-once; false: at-most-once). */
    public Builder retryPublish(boolean retryPublish) {
      this.retryPublish = retryPublish;
      return this;
    }

    public SwitchboardClient build() {
      if (transport == null) {
        if (serviceToken == null || serviceToken.isBlank()) {
          throw new IllegalArgumentException("the gateway's SERVICE_TOKEN is required");
        }
        transport = new HttpTransport(baseUrl, serviceToken, connectTimeout);
      }
      return new SwitchboardClient(this);
    }
  }
}
