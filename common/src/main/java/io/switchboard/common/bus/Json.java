package io.switchboard.common.bus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import io.vertx.core.json.jackson.JacksonCodec;

/** The one Jackson mapper (records to and from JSON, Vert.x JSON types included) and a fast encoder of JSON values. */
public final class Json {
  public static final ObjectMapper MAPPER = DatabindCodec.mapper().copy()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * Vert.x's streaming codec. {@code JsonObject.encode()} goes through databind when it is on the
   * classpath, looking up a serializer per map and key; for values made of JSON types alone the
   * streaming generator writes the same text at a fraction of the cost (a message's {@code meta},
   * encoded once or twice per message, was about 5 % of the server's CPU).
   */
  private static final JacksonCodec STREAMING = new JacksonCodec();

  private Json() {}

  /** {@code json} as JSON text; values other than JSON types go through databind as before. */
  public static String encode(JsonObject json) {
    try {
      return STREAMING.toString(json, false);
    } catch (EncodeException notJsonTypes) {
      return json.encode();
    }
  }

  /** {@code json} as UTF-8 JSON, as {@link #encode}. */
  public static Buffer encodeToBuffer(JsonObject json) {
    try {
      return STREAMING.toBuffer(json, false);
    } catch (EncodeException notJsonTypes) {
      return json.toBuffer();
    }
  }

  public static JsonObject toJson(Object value) {
    return new JsonObject(MAPPER.convertValue(value, java.util.Map.class));
  }

  public static <T> T fromJson(JsonObject json, Class<T> type) {
    return MAPPER.convertValue(json.getMap(), type);
  }
}
