package io.switchboard.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries shipped as a Maven artifact (zonky's bundles), unpacked once into
 * the temp directory, keyed by the bundle's digest. World-readable so an unprivileged user can run
 * them when this process is root.
 */
final class PostgresBinaries {
  private PostgresBinaries() {}

  static synchronized Path unpacked() throws IOException {
    byte[] bundle = readBundle();
    String digest = sha256(bundle).substring(0, 16);
    Path target = Path.of(System.getProperty("java.io.tmpdir"), "switchboard-pg-" + digest);
    if (Files.isExecutable(target.resolve("bin/pg_ctl"))) {
      return target;
    }
    Path staging = Files.createTempDirectory(target.getParent(), "switchboard-pg-unpack-");
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new XZInputStream(new BufferedInputStream(new java.io.ByteArrayInputStream(bundle))))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = staging.resolve(entry.getName()).normalize();
        if (!out.startsWith(staging)) {
          throw new IOException("postgres bundle: entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          try (OutputStream os = Files.newOutputStream(out)) {
            tar.transferTo(os);
          }
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    try (var dirs = Files.walk(staging)) {
      for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      // Another process unpacked the same bundle first; theirs is as good as ours.
      if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
        throw raced;
      }
    }
    return target;
  }

  private static byte[] readBundle() throws IOException {
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(osName(), archName())) {
      return in.readAllBytes();
    }
  }

  private static String osName() {
    String os = System.getProperty("os.name");
    return os.startsWith("Mac") ? "Darwin" : os.startsWith("Windows") ? "Windows" : "Linux";
  }

  private static String archName() {
    String arch = System.getProperty("os.arch");
    return arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm_64" : arch;
  }

  private static String sha256(byte[] bytes) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (DigestInputStream in = new DigestInputStream(new java.io.ByteArrayInputStream(bytes), md)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
