package io.switchboard.socketio.parser;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary attachments: replaces Buffers and byte arrays with {@code {"_placeholder":true,"num":i}}
 * when encoding, and placeholders with the received Buffers when decoding. Placeholders are numbered
 * in depth-first order, like the reference implementation.
 */
public final class Binary {
  private Binary() {}

  public static boolean hasBinary(Object value) {
    // Exact classes first (strings, numbers and Vert.x JSON are nearly every value of every packet),
    // interfaces last: a type check against an interface that misses walks the class's interfaces.
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return false;
    }
    if (value instanceof JsonObject o) {
      return anyBinary(o.getMap().values());
    }
    if (value instanceof JsonArray a) {
      return anyBinary(a.getList());
    }
    if (value instanceof byte[] || value instanceof Buffer) {
      return true;
    }
    if (value instanceof Map<?, ?> m) {
      return anyBinary(m.values());
    }
    if (value instanceof Collection<?> c) {
      return anyBinary(c);
    }
    if (value instanceof Object[] array) {
      for (Object v : array) {
        if (hasBinary(v)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean anyBinary(Iterable<?> values) {
    for (Object v : values) {
      if (hasBinary(v)) {
        return true;
      }
    }
    return false;
  }

  /** A copy of {@code value} with binaries replaced by placeholders, appended in order to {@code out}. */
  public static Object deconstruct(Object value, List<Buffer> out) {
    if (value instanceof Buffer b) {
      return placeholder(out, b);
    }
    if (value instanceof byte[] bytes) {
      return placeholder(out, Buffer.buffer(bytes));
    }
    if (value instanceof JsonObject o) {
      return deconstructMap(o.getMap(), out);
    }
    if (value instanceof Map<?, ?> m) {
      return deconstructMap(m, out);
    }
    if (value instanceof JsonArray a) {
      return deconstructAll(a.getList(), out);
    }
    if (value instanceof Collection<?> c) {
      return deconstructAll(c, out);
    }
    if (value instanceof Object[] array) {
      return deconstructAll(List.of(array), out);
    }
    return value;
  }

  private static Map<String, Object> placeholder(List<Buffer> out, Buffer b) {
    Map<String, Object> p = new LinkedHashMap<>(4);
    p.put("_placeholder", true);
    p.put("num", out.size());
    out.add(b);
    return p;
  }

  private static Map<Object, Object> deconstructMap(Map<?, ?> m, List<Buffer> out) {
    Map<Object, Object> copy = new LinkedHashMap<>(m.size() * 2);
    m.forEach((k, v) -> copy.put(k, deconstruct(v, out)));
    return copy;
  }

  private static List<Object> deconstructAll(Collection<?> c, List<Buffer> out) {
    List<Object> copy = new ArrayList<>(c.size());
    for (Object v : c) {
      copy.add(deconstruct(v, out));
    }
    return copy;
  }

  /**
   * Replaces placeholders in decoded JSON by the attachments, in place where the value is a
   * container, and returns the (possibly replaced) value.
   */
  @SuppressWarnings("unchecked")
  public static Object reconstruct(Object value, List<Buffer> attachments) throws PacketFormatException {
    if (value instanceof JsonObject o) {
      Object r = reconstructMap((Map<String, Object>) (Map<?, ?>) o.getMap(), attachments);
      return r instanceof Buffer ? r : o;
    }
    if (value instanceof Map<?, ?> m) {
      return reconstructMap((Map<String, Object>) m, attachments);
    }
    if (value instanceof JsonArray a) {
      reconstructList(a.getList(), attachments);
      return a;
    }
    if (value instanceof List<?> l) {
      reconstructList((List<Object>) l, attachments);
      return l;
    }
    return value;
  }

  private static Object reconstructMap(Map<String, Object> m, List<Buffer> attachments)
      throws PacketFormatException {
    if (Boolean.TRUE.equals(m.get("_placeholder"))) {
      Object num = m.get("num");
      if (!(num instanceof Integer i) || i < 0 || i >= attachments.size()) {
        throw new PacketFormatException("illegal attachment placeholder");
      }
      return attachments.get(i);
    }
    for (Map.Entry<String, Object> e : m.entrySet()) {
      e.setValue(reconstruct(e.getValue(), attachments));
    }
    return m;
  }

  private static void reconstructList(List<Object> list, List<Buffer> attachments) throws PacketFormatException {
    for (int i = 0; i < list.size(); i++) {
      list.set(i, reconstruct(list.get(i), attachments));
    }
  }
}
