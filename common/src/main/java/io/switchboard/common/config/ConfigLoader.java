package io.switchboard.common.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Loads configuration with vertx-config from, in rising precedence: the defaults of
 * {@link ConfigKey}, an optional YAML file, and environment variables.
 *
 * <p>Blank values are not values: an empty environment variable or YAML entry leaves the layer
 * below in force.
 *
 * <p>The YAML file is the one named by {@code SWITCHBOARD_CONFIG} (or the {@code --config} option
 * of the launcher); a missing file named explicitly is an error, so a typo does not go unnoticed.
 */
public final class ConfigLoader {
  public static final String CONFIG_FILE_ENV = "SWITCHBOARD_CONFIG";

  private ConfigLoader() {}

  public static Future<Config> load(Vertx vertx, String yamlFile) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
    if (yamlFile != null && !yamlFile.isBlank()) {
      if (!Files.isRegularFile(Path.of(yamlFile))) {
        return Future.failedFuture(new IllegalArgumentException("config: file not found: " + yamlFile));
      }
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
          .setConfig(new JsonObject().put("path", yamlFile)));
    }
    options.addStore(new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true)));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .map(ConfigLoader::resolve)
        .eventually(() -> {
          retriever.close();
          return Future.succeededFuture();
        });
  }

  /** Maps the merged file-and-environment JSON onto the keys; exposed for tests. */
  static Config resolve(JsonObject merged) {
    Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      Object env = present(merged.getValue(key.env()));
      Object file = present(atPath(merged, key.path()));
      Object chosen = env != null ? env : file != null ? file : key.defaultValue();
      values.put(key, String.valueOf(chosen));
    }
    return new Config(values);
  }

  /**
   * Null for a blank value: an empty variable (as {@code JWT_SECRET=} in a manifest, or an unset
   * template) never erases what a lower layer configured, so it cannot switch a secret off.
   */
  private static Object present(Object value) {
    return value == null || String.valueOf(value).isBlank() ? null : value;
  }

  private static Object atPath(JsonObject root, String path) {
    Object current = root;
    for (String part : path.split("\\.")) {
      if (!(current instanceof JsonObject obj)) {
        return null;
      }
      current = obj.getValue(part);
    }
    if (current instanceof Iterable<?> items) {
      StringBuilder joined = new StringBuilder();
      items.forEach(item -> joined.append(joined.length() == 0 ? "" : ",").append(item));
      return joined.toString();
    }
    return current instanceof JsonObject ? null : current;
  }
}
