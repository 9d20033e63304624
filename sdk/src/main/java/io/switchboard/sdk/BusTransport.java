package io.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.bus.ServiceFailure;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The public event-bus addresses ({@code chat.publish}, {@code chat.message.create},
 * {@code chat.room.manage}) for services that are members of the cluster, on their own Vert.x
 * {@link EventBus}: no HTTP hop, no service token (the cluster's TLS admits members). Takes the
 * bodies of the HTTP API and turns them into the bus's: a message's {@code tenant} becomes its
 * sender's, a message without a sender comes from the system of that tenant. Replies complete on a
 * Vert.x thread: do not block in what you chain to them.
 */
public final class BusTransport implements Transport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventBus bus;

  public BusTransport(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public CompletableFuture<JsonNode> call(Operation operation, ObjectNode body, Duration timeout) {
    String address = switch (operation) {
      case PUBLISH -> Addresses.CHAT_PUBLISH;
      case POST_MESSAGE -> Addresses.CHAT_MESSAGE_CREATE;
      case MANAGE_ROOM -> Addresses.CHAT_ROOM_MANAGE;
    };
    JsonObject request = toJson(operation == Operation.POST_MESSAGE ? asBusMessage(body) : body);
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    // Publish is sent, not published: one gateway answers (a bad body is refused) and publishes it to all.
    bus.<JsonObject>request(address, request, new DeliveryOptions().setSendTimeout(timeout.toMillis()))
        .map(Message::body)
        .onComplete(answer -> reply.complete(fromJson(answer)), failure -> reply.completeExceptionally(refusal(address, failure)));
    return reply;
  }

  /** As the gateway's POST /api/messages does: the sender carries the tenant. */
  private static ObjectNode asBusMessage(ObjectNode body) {
    ObjectNode message = body.deepCopy();
    String tenant = message.remove("tenant").asText();
    ObjectNode sender = message.has("sender") ? (ObjectNode) message.get("sender")
        : message.putObject("sender").put("userId", "system").put("name", "System");
    sender.put("tenant", tenant);
    return message;
  }

  private static SwitchboardException refusal(String address, Throwable failure) {
    if (failure instanceof ReplyException re) {
      ErrorCode code = re.failureType() == ReplyFailure.RECIPIENT_FAILURE ? ErrorCode.fromBusCode(re.failureCode())
          : ErrorCode.UNAVAILABLE;
      Long retryAfter = failure instanceof ServiceFailure sf && sf.extra() != null ? sf.extra().getLong("retryAfterMs") : null;
      String message = re.failureType() == ReplyFailure.TIMEOUT ? "no answer in time"
          : re.failureType() == ReplyFailure.NO_HANDLERS ? "no member of the cluster serves it" : re.getMessage();
      return new SwitchboardException(code, 0, address + ": " + message, retryAfter, failure);
    }
    return new SwitchboardException(ErrorCode.INTERNAL, 0, address + ": " + failure, null, failure);
  }

  private static JsonObject toJson(ObjectNode node) {
    return new JsonObject(node.toString());
  }

  private static JsonNode fromJson(JsonObject json) {
    try {
      return JSON.readTree(json.encode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
