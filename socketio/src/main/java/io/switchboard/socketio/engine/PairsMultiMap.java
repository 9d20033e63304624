package io.switchboard.socketio.engine;

import io.vertx.core.MultiMap;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A read-only, case-insensitive {@link MultiMap} kept as one array of name/value pairs, for the
 * headers and query a session keeps from its handshake for its whole life. Vert.x's header map has a
 * 16-bucket table and an entry object per pair: about 250 bytes for two pairs, where this is one
 * array. Lookups scan the pairs: a handshake has a few dozen at most, and they are rarely read.
 */
final class PairsMultiMap implements MultiMap {
  private static final PairsMultiMap EMPTY = new PairsMultiMap(new String[0]);

  /** name0, value0, name1, value1, ... */
  private final String[] pairs;

  private PairsMultiMap(String[] pairs) {
    this.pairs = pairs;
  }

  /**
   * The entries of {@code source} whose name {@code keep} accepts, names and values shared; {@code
   * previous} itself when it has the same entries (the query of every WebSocket handshake of one
   * client library is the same, as are often the headers of one kind of client).
   */
  static PairsMultiMap copyOf(MultiMap source, Predicate<String> keep, SharedStrings shared, PairsMultiMap previous) {
    List<String> out = new ArrayList<>(source.size() * 2);
    for (Map.Entry<String, String> e : source) {
      if (keep.test(e.getKey())) {
        out.add(shared.of(e.getKey()));
        out.add(shared.of(e.getValue()));
      }
    }
    String[] pairs = out.toArray(new String[0]);
    if (pairs.length == 0) {
      return EMPTY;
    }
    return previous != null && Arrays.equals(previous.pairs, pairs) ? previous : new PairsMultiMap(pairs);
  }

  private static boolean same(CharSequence a, String b) {
    return b.length() == a.length() && b.regionMatches(true, 0, a.toString(), 0, b.length());
  }

  @Override
  public String get(CharSequence name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (same(name, pairs[i])) {
        return pairs[i + 1];
      }
    }
    return null;
  }

  @Override
  public String get(String name) {
    return get((CharSequence) name);
  }

  @Override
  public List<String> getAll(CharSequence name) {
    List<String> values = new ArrayList<>(1);
    for (int i = 0; i < pairs.length; i += 2) {
      if (same(name, pairs[i])) {
        values.add(pairs[i + 1]);
      }
    }
    return values;
  }

  @Override
  public List<String> getAll(String name) {
    return getAll((CharSequence) name);
  }

  @Override
  public boolean contains(CharSequence name) {
    return get(name) != null;
  }

  @Override
  public boolean contains(String name) {
    return get(name) != null;
  }

  @Override
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  @Override
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < pairs.length; i += 2) {
      String name = pairs[i];
      if (names.stream().noneMatch(n -> same(name, n))) {
        names.add(name);
      }
    }
    return names;
  }

  @Override
  public int size() {
    return names().size();
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < pairs.length;
      }

      @Override
      public Map.Entry<String, String> next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Map.Entry<String, String> e = new AbstractMap.SimpleImmutableEntry<>(pairs[next], pairs[next + 1]);
        next += 2;
        return e;
      }
    };
  }

  @Override
  public boolean isMutable() {
    return false;
  }

  @Override
  public MultiMap copy(boolean mutable) {
    if (!mutable) {
      return this;
    }
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      copy.add(pairs[i], pairs[i + 1]);
    }
    return copy;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      sb.append(pairs[i]).append(": ").append(pairs[i + 1]).append('\n');
    }
    return sb.toString();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("a session's handshake is read-only");
  }

  @Override public MultiMap add(String name, String value) { throw readOnly(); }
  @Override public MultiMap add(CharSequence name, CharSequence value) { throw readOnly(); }
  @Override public MultiMap add(String name, Iterable<String> values) { throw readOnly(); }
  @Override public MultiMap add(CharSequence name, Iterable<CharSequence> values) { throw readOnly(); }
  @Override public MultiMap addAll(MultiMap map) { throw readOnly(); }
  @Override public MultiMap addAll(Map<String, String> headers) { throw readOnly(); }
  @Override public MultiMap set(String name, String value) { throw readOnly(); }
  @Override public MultiMap set(CharSequence name, CharSequence value) { throw readOnly(); }
  @Override public MultiMap set(String name, Iterable<String> values) { throw readOnly(); }
  @Override public MultiMap set(CharSequence name, Iterable<CharSequence> values) { throw readOnly(); }
  @Override public MultiMap setAll(MultiMap map) { throw readOnly(); }
  @Override public MultiMap setAll(Map<String, String> headers) { throw readOnly(); }
  @Override public MultiMap remove(String name) { throw readOnly(); }
  @Override public MultiMap remove(CharSequence name) { throw readOnly(); }
  @Override public MultiMap clear() { throw readOnly(); }
}
