package io.switchboard.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root: the {@code switchboard.root} system property Maven sets, or the parent of the working directory. */
final class Root {
  private Root() {}

  static Path path() {
    String configured = System.getProperty("switchboard.root");
    Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("k8s")) || !Files.isRegularFile(root.resolve("README.md"))) {
      throw new AssertionError("not the repository root (no k8s/ and README.md): " + root);
    }
    return root;
  }
}
