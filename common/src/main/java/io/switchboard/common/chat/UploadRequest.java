package io.switchboard.common.chat;

/** {@code create-upload}: {@code user} will upload a file of {@code size} bytes to attach in {@code roomId}. */
public record UploadRequest(Sender user, String roomId, String name, String contentType, long size) {}
