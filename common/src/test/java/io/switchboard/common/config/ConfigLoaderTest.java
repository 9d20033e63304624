package io.switchboard.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  @DisplayName("an environment variable beats the YAML file, which beats the default")
  void precedence() {
    JsonObject merged = new JsonObject()
        .put("gateway", new JsonObject().put("port", 4000).put("corsOrigins", new io.vertx.core.json.JsonArray().add("https://a").add("https://b")))
        .put("postgres", new JsonObject().put("poolSize", 4))
        .put("PG_POOL_SIZE", "12");
    Config config = ConfigLoader.resolve(merged);
    assertEquals(4000, config.integer(ConfigKey.HTTP_PORT), "from the file");
    assertEquals(12, config.integer(ConfigKey.PG_POOL_SIZE), "the environment wins");
    assertEquals(3, config.integer(ConfigKey.MAX_CONNECTIONS_PER_USER), "the default");
    assertEquals(java.util.List.of("https://a", "https://b"), config.list(ConfigKey.CORS_ORIGINS), "a YAML list");
  }

  @Test
  @DisplayName("an environment variable set to an empty value overrides neither the file nor the default")
  void emptyEnvironmentValuesNeverOverride() {
    JsonObject merged = new JsonObject()
        .put("auth", new JsonObject().put("jwtSecret", "from-the-file"))
        .put("JWT_SECRET", "")
        .put("SWITCHBOARD_DEV_MODE", "  ");
    Config config = ConfigLoader.resolve(merged);
    assertEquals("from-the-file", config.string(ConfigKey.JWT_SECRET), "an empty JWT_SECRET must not erase the file's secret");
    assertEquals("auto", config.string(ConfigKey.DEV_MODE), "a blank value falls back to the default");
  }

  @Test
  @DisplayName("a value of the wrong type fails with a message naming the variable")
  void badNumberNamesTheKey() {
    Config config = Config.defaults().with(ConfigKey.HTTP_PORT, "eighty");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.integer(ConfigKey.HTTP_PORT));
    assertTrue(e.getMessage().contains("PORT"), e.getMessage());
  }

  @Test
  @DisplayName("the README's configuration table lists every key with its variable, YAML path and default")
  void readmeListsEveryKey() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (ConfigKey key : ConfigKey.values()) {
      String defaultCell = key.defaultValue().isEmpty() ? "(empty)" : "`" + key.defaultValue() + "`";
      String row = "| `" + key.env() + "` | `" + key.path() + "` | " + defaultCell + " |";
      assertTrue(readme.contains(row), "README.md lacks the row for " + key + ": " + row);
    }
  }
}
