package io.switchboard.message.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Where attachments' bytes live, by key (the attachment's id, and {@code <id>.thumbnail.png} for a
 * thumbnail). Every method may block (disk or network): {@link Attachments} calls them on worker
 * threads only, never on an event loop.
 */
public interface AttachmentStore {

  /** An object's real size and content type as the store knows them; null when there is none. */
  record Stat(long size, String contentType) {}

  /** Where a client puts an upload's bytes itself: an object store's presigned PUT; null: through the gateway. */
  record PresignedPut(String url, java.util.Map<String, String> headers, Instant expiresAt) {}

  PresignedPut presignPut(String key, String contentType, long size, Duration ttl);

  /** A presigned GET a client is sent to, or null when the gateway serves the bytes from {@link #file}. */
  String presignGet(String key, String contentType, String fileName, Duration ttl);

  /** The local file of a key, for the gateway to write or stream; null for an object store. */
  String file(String key);

  Stat stat(String key) throws IOException;

  InputStream open(String key) throws IOException;

  void put(String key, byte[] bytes, String contentType) throws IOException;

  /** Removes a key's object; a key that has none is no error. */
  void delete(String key) throws IOException;

  /** Whether the store answers (readiness, and a check at start). */
  void check() throws IOException;
}
