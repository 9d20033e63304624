package io.switchboard.common.chat;

/**
 * A gateway asks whether a caller may put or read an attachment's bytes. {@code UPLOAD}: the upload
 * token of the ticket ({@code token}); {@code DOWNLOAD} and {@code THUMBNAIL}: a verified user of
 * {@code tenant}, who must be a member of the attachment's room (or its uploader).
 */
public record AttachmentAccess(Kind kind, String attachmentId, String tenant, String userId, String token) {
  public enum Kind { UPLOAD, DOWNLOAD, THUMBNAIL }
}
