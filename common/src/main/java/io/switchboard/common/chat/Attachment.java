package io.switchboard.common.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A file attached to a message (docs/protocol.md, "Attachments"): its id, the name and content type
 * the uploader gave, its size in bytes; {@code width} and {@code height} for an image whose pixels
 * were read, and {@code thumbnail} when a small PNG of it can be fetched. A request names an
 * attachment by id only ({@link #ref}); message-service fills in the rest.
 */
public record Attachment(
    String id,
    String name,
    String contentType,
    long size,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer width,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer height,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean thumbnail) {

  /** An attachment named by its id, as a send names it. */
  public static Attachment ref(String id) {
    return new Attachment(id, null, null, 0, null, null, false);
  }
}
