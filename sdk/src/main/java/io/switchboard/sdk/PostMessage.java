package io.switchboard.sdk;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A durable message for room {@code roomId} of {@code tenant}, from {@code sender} (null: the
 * system). {@code clientMsgId} makes it idempotent: the same id again answers the first message with
 * {@code duplicate: true}, which is what lets the client retry a post safely; {@link #system} and
 * {@link #from} make a fresh one.
 */
public record PostMessage(String tenant, String roomId, String body, String clientMsgId, String replyTo,
    Map<String, Object> meta, Sender sender) {
  public PostMessage {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(clientMsgId, "clientMsgId");
    meta = meta == null ? null : Map.copyOf(meta);
  }

  /** A message from the system (a notice, a bot without a user of its own). */
  public static PostMessage system(String tenant, String roomId, String body) {
    return new PostMessage(tenant, roomId, body, UUID.randomUUID().toString(), null, null, null);
  }

  /** A message as user {@code sender}, who must be a member of the room and not muted there. */
  public static PostMessage from(String tenant, String roomId, Sender sender, String body) {
    return new PostMessage(tenant, roomId, body, UUID.randomUUID().toString(), null, null,
        Objects.requireNonNull(sender, "sender"));
  }

  /** The same message with the id of your own record of it (a UUID), e.g. to post it once across restarts. */
  public PostMessage withClientMsgId(String id) {
    return new PostMessage(tenant, roomId, body, id, replyTo, meta, sender);
  }

  /** The same message as a reply to message {@code messageId}. */
  public PostMessage withReplyTo(String messageId) {
    return new PostMessage(tenant, roomId, body, clientMsgId, messageId, meta, sender);
  }

  /** The same message with {@code meta} (a JSON object of at most MAX_META_BYTES, 4096 by default). */
  public PostMessage withMeta(Map<String, Object> meta) {
    return new PostMessage(tenant, roomId, body, clientMsgId, replyTo, meta, sender);
  }
}
