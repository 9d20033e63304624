package io.switchboard.common.chat;

/**
 * Where the bytes an {@link AttachmentAccess} asked for are: {@code redirect}, a presigned URL of the
 * object store to send the client to; or {@code file}, a path of the local store (in the process's
 * shared directory) the gateway writes or streams. {@code tenant} and {@code userId}: the uploader, so
 * the gateway can tell their devices how an upload goes. {@code contentType} and {@code size}: of the
 * bytes served (a thumbnail's are its own), {@code disposition} their Content-Disposition header.
 */
public record AttachmentGrant(Attachment attachment, String tenant, String userId, String redirect, String file,
    String contentType, long size, String disposition) {}
