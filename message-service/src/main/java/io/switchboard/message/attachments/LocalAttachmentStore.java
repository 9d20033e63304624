package io.switchboard.message.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Attachments in a directory of this machine (the one-JVM default): the gateway of the same process
 * writes uploads there and streams downloads from it. Keys are UUIDs with a fixed suffix, so no key
 * names a path outside the directory.
 */
public final class LocalAttachmentStore implements AttachmentStore {
  private final Path dir;

  public LocalAttachmentStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  @Override
  public PresignedPut presignPut(String key, String contentType, long size, Duration ttl) {
    return null;
  }

  @Override
  public String presignGet(String key, String contentType, String fileName, Duration ttl) {
    return null;
  }

  @Override
  public String file(String key) {
    Path file = dir.resolve(key).normalize();
    if (!file.getParent().equals(dir)) {
      throw new IllegalArgumentException("not a key of this store");
    }
    return file.toString();
  }

  @Override
  public Stat stat(String key) throws IOException {
    Path file = Path.of(file(key));
    return Files.isRegularFile(file) ? new Stat(Files.size(file), null) : null;
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(Path.of(file(key)));
  }

  @Override
  public void put(String key, byte[] bytes, String contentType) throws IOException {
    Path file = Path.of(file(key));
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.write(part, bytes);
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The file, and what an upload cut short left of it. */
  @Override
  public void delete(String key) throws IOException {
    Path file = Path.of(file(key));
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".part"));
    Files.deleteIfExists(file);
  }

  @Override
  public void check() throws IOException {
    Files.createDirectories(dir);
    if (!Files.isWritable(dir)) {
      throw new IOException("attachments directory not writable: " + dir);
    }
  }
}
