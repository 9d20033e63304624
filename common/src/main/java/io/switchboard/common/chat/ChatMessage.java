package io.switchboard.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A durable message, as clients see it (PROTOCOL.md section 4). {@code createdAt} and
 * {@code editedAt} are ISO-8601 instants. {@code clientMsgId} (an addition to the contract's
 * message object) lets a client match a stored message to the optimistic copy it showed.
 * {@code hidden}: the placeholder of a message of a user the reader blocks, its body, meta and reply
 * emptied (docs/protocol.md, "Blocks"); written only when true. {@code reactions} and
 * {@code reactionsVersion} (docs/protocol.md, "Reactions"), and {@code thread} (its replies, "Threads"),
 * are written only when there are some; so are {@code attachments} ("Attachments") and {@code mentions}
 * ("Mentions").
 */
public record ChatMessage(
    String id,
    String clientMsgId,
    String roomId,
    long seq,
    String senderId,
    String senderName,
    String body,
    String replyTo,
    JsonObject meta,
    String createdAt,
    String editedAt,
    boolean deleted,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean hidden,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Reaction> reactions,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int reactionsVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) ThreadSummary thread,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Attachment> attachments,
    @JsonInclude(JsonInclude.Include.NON_NULL) Mentions mentions) {

  public ChatMessage {
    reactions = reactions == null ? List.of() : List.copyOf(reactions);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  public ChatMessage(String id, String clientMsgId, String roomId, long seq, String senderId, String senderName, String body,
      String replyTo, JsonObject meta, String createdAt, String editedAt, boolean deleted, boolean hidden,
      List<Reaction> reactions, int reactionsVersion, ThreadSummary thread, List<Attachment> attachments) {
    this(id, clientMsgId, roomId, seq, senderId, senderName, body, replyTo, meta, createdAt, editedAt, deleted, hidden,
        reactions, reactionsVersion, thread, attachments, null);
  }

  public ChatMessage(String id, String clientMsgId, String roomId, long seq, String senderId, String senderName, String body,
      String replyTo, JsonObject meta, String createdAt, String editedAt, boolean deleted, boolean hidden,
      List<Reaction> reactions, int reactionsVersion, ThreadSummary thread) {
    this(id, clientMsgId, roomId, seq, senderId, senderName, body, replyTo, meta, createdAt, editedAt, deleted, hidden,
        reactions, reactionsVersion, thread, List.of(), null);
  }

  public ChatMessage(String id, String clientMsgId, String roomId, long seq, String senderId, String senderName, String body,
      String replyTo, JsonObject meta, String createdAt, String editedAt, boolean deleted) {
    this(id, clientMsgId, roomId, seq, senderId, senderName, body, replyTo, meta, createdAt, editedAt, deleted, false, List.of(), 0, null);
  }

  /** This message as a reader who blocks its sender sees it: its place, its sender, nothing of its content (nor mentions). */
  public ChatMessage hiddenFromReader() {
    return new ChatMessage(id, null, roomId, seq, senderId, null, "", null, null, createdAt, null, deleted, true, List.of(), 0, null);
  }
}
