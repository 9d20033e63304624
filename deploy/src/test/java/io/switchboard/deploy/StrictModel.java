package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict reading of the Kubernetes model. fabric8 accepts any field it does not know and keeps it in
 * {@code additionalProperties} (the API server would reject it, or silently drop it); this walks a
 * deserialized object and reports every such field with its path, and every object of a kind the
 * model does not know. Wrong value types already fail at deserialization.
 */
final class StrictModel {
  private StrictModel() {}

  static List<String> problems(HasMetadata object) {
    List<String> out = new ArrayList<>();
    String where = object.getKind() + "/" + object.getMetadata().getName();
    if (object instanceof GenericKubernetesResource) {
      out.add(where + ": unknown kind " + object.getApiVersion() + " " + object.getKind());
      return out;
    }
    walk(object, where, out, new IdentityHashMap<>());
    return out;
  }

  private static void walk(Object value, String path, List<String> out, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "[" + k + "]", out, seen));
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    Map<?, ?> unknown = additionalProperties(value);
    if (unknown != null && !unknown.isEmpty()) {
      out.add(path + ": field(s) unknown to " + value.getClass().getSimpleName() + ": " + unknown.keySet());
    }
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("additionalProperties")) {
          continue;
        }
        walk(read(f, value), path + "." + f.getName(), out, seen);
      }
    }
  }

  private static Map<?, ?> additionalProperties(Object value) {
    try {
      Method m = value.getClass().getMethod("getAdditionalProperties");
      return m.invoke(value) instanceof Map<?, ?> map ? map : null;
    } catch (NoSuchMethodException e) {
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object read(Field f, Object owner) {
    try {
      f.setAccessible(true);
      return f.get(owner);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
