package io.switchboard.loadtest.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a result document as {@code PREFIX.json} and {@code PREFIX.html}. */
public final class ResultFiles {
  private ResultFiles() {}

  /** Returns the two paths written. */
  public static Path[] write(Path prefix, JsonObject result) throws IOException {
    Path dir = prefix.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path json = Path.of(prefix + ".json");
    Path html = Path.of(prefix + ".html");
    Files.writeString(json, result.encodePrettily(), StandardCharsets.UTF_8);
    Files.writeString(html, HtmlReport.render(result), StandardCharsets.UTF_8);
    return new Path[] {json, html};
  }

  public static JsonObject read(Path json) throws IOException {
    return new JsonObject(Files.readString(json, StandardCharsets.UTF_8));
  }
}
