package io.switchboard.common.chat;

import java.util.Map;

/**
 * The answer to {@code create-upload}: the attachment (not yet uploaded) and where its bytes go: a
 * {@code method} request to {@code url} with {@code headers}, before {@code expiresAt} (ISO-8601). The
 * url is absolute for an object store (a presigned URL), a path of the gateway for the local store.
 */
public record UploadTicket(Attachment attachment, String url, String method, Map<String, String> headers, String expiresAt) {}
