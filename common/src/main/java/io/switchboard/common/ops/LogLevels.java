package io.switchboard.common.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

/** Reads and changes logger levels at runtime (logback), for the ops endpoints. */
public final class LogLevels {
  private LogLevels() {}

  /** Sets the level of a logger ({@code ROOT} for all); returns its effective level after. */
  public static JsonObject set(String logger, String level) {
    Logger target = (Logger) LoggerFactory.getLogger(logger == null || logger.isBlank() ? Logger.ROOT_LOGGER_NAME : logger);
    Level parsed = Level.toLevel(level, null);
    if (parsed == null) {
      throw new IllegalArgumentException("level must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
    target.setLevel(parsed);
    return get(target.getName());
  }

  public static JsonObject get(String logger) {
    Logger target = (Logger) LoggerFactory.getLogger(logger == null || logger.isBlank() ? Logger.ROOT_LOGGER_NAME : logger);
    return new JsonObject().put("logger", target.getName()).put("level", target.getEffectiveLevel().toString());
  }
}
