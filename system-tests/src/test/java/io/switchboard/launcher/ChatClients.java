package io.switchboard.launcher;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Sockets of the official socket.io-client ({@code src/test/js/clients.mjs}) in one Node process,
 * steered from the test: connect, emit with ack, close; every event a socket receives is kept with
 * its arrival time. Every wait is bounded.
 */
final class ChatClients implements AutoCloseable {
  private static final long ANSWER_TIMEOUT_MS = 15_000;

  /** An event one socket received. */
  record Event(String socket, String name, JsonObject payload, long at) {}

  private final Process node;
  private final OutputStream commands;
  private final Map<Integer, CompletableFuture<JsonObject>> answers = new ConcurrentHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final StringBuilder other = new StringBuilder();
  private int nextId;

  private ChatClients(Process node) {
    this.node = node;
    this.commands = node.getOutputStream();
    Thread reader = new Thread(this::read, "chat-clients");
    reader.setDaemon(true);
    reader.start();
  }

  static ChatClients start(String jwtSecret) throws IOException {
    Path dir = Path.of(System.getProperty("switchboard.e2e.js"));
    Process node = new ProcessBuilder("node", dir.resolve("clients.mjs").toString(), jwtSecret)
        .directory(dir.toFile()).redirectErrorStream(true).start();
    return new ChatClients(node);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith("{")) {
          synchronized (other) {
            other.append(line).append('\n');
          }
          continue;
        }
        JsonObject json = new JsonObject(line);
        if (json.containsKey("re")) {
          CompletableFuture<JsonObject> answer = answers.remove(json.getInteger("re"));
          if (answer != null) {
            answer.complete(json);
          }
        } else {
          Object payload = json.getValue("payload");
          synchronized (events) {
            events.add(new Event(json.getString("socket"), json.getString("ev"),
                payload instanceof JsonObject object ? object : new JsonObject().put("value", payload), json.getLong("at")));
            events.notifyAll();
          }
        }
      }
    } catch (IOException ignored) {
      // Node exited.
    }
  }

  private synchronized JsonObject command(JsonObject command) {
    int id = ++nextId;
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    answers.put(id, answer);
    try {
      commands.write((command.put("id", id).encode() + "\n").getBytes(StandardCharsets.UTF_8));
      commands.flush();
      return answer.get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer to " + command.encode() + "; node said: " + other, e);
    }
  }

  /** Connects a socket; the answer has {@code connected}, or {@code message} and {@code data} of the CONNECT_ERROR. */
  JsonObject connect(String socket, String url, String user) {
    return command(new JsonObject().put("op", "connect").put("socket", socket).put("url", url).put("user", user));
  }

  /** Emits with an ack callback and returns the ack. */
  JsonObject request(String socket, String event, JsonObject payload) {
    JsonObject answer = command(new JsonObject().put("op", "emit").put("socket", socket).put("event", event).put("payload", payload));
    if (answer.containsKey("error")) {
      throw new AssertionError(socket + " " + event + ": " + answer.getString("error"));
    }
    return answer.getJsonObject("ack");
  }

  void close(String socket) {
    command(new JsonObject().put("op", "close").put("socket", socket));
  }

  /** The first event so far or within the timeout that the socket received under this name and that matches. */
  Event await(String socket, String name, Predicate<JsonObject> matches, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (events) {
      while (true) {
        for (Event e : events) {
          if (e.socket().equals(socket) && e.name().equals(name) && matches.test(e.payload())) {
            return e;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError(socket + " received no matching " + name + " within " + timeoutMs + " ms; got "
              + events.stream().filter(e -> e.socket().equals(socket)).toList());
        }
        try {
          events.wait(left);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  /**
   * Lets events arrive for a while: between polls, and to give an event that must <em>not</em> come
   * (a duplicate) the time to show up.
   */
  void pause(long ms) {
    long until = System.currentTimeMillis() + ms;
    synchronized (events) {
      for (long left = ms; left > 0; left = until - System.currentTimeMillis()) {
        try {
          events.wait(left);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  /** How many matching events the socket has received so far. */
  long count(String socket, String name, Predicate<JsonObject> matches) {
    synchronized (events) {
      return events.stream().filter(e -> e.socket().equals(socket) && e.name().equals(name) && matches.test(e.payload())).count();
    }
  }

  @Override
  public void close() {
    node.destroyForcibly();
  }
}
