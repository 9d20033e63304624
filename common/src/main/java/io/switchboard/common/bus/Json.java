package io.switchboard.common.bus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;

/** The one Jackson mapper: records to and from JSON, Vert.x JSON types included. */
public final class Json {
  public static final ObjectMapper MAPPER = DatabindCodec.mapper().copy()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  public static JsonObject toJson(Object value) {
    return new JsonObject(MAPPER.convertValue(value, java.util.Map.class));
  }

  public static io.vertx.core.json.JsonArray toJsonArray(java.util.List<?> values) {
    return new io.vertx.core.json.JsonArray(MAPPER.convertValue(values, java.util.List.class));
  }

  public static <T> T fromJson(JsonObject json, Class<T> type) {
    return MAPPER.convertValue(json.getMap(), type);
  }
}
