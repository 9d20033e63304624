package io.switchboard.presence;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One presence script from {@code src/main/resources/lua}: the shared {@code presence.lua} (keys and
 * state changes) followed by the script's own file, with {@link #ROUTING_KEY} as its one key. Run
 * with EVALSHA, one round trip; when the server does not have it (first use, a Redis restarted
 * empty, a replica just promoted) it is sent once with EVAL.
 */
final class LuaScript {
  private static final String SHARED = "presence.lua";
  /**
   * Every key of presence has the hash tag {@code {sb}} (see presence.lua), so all are in this key's
   * slot. Declaring it as the script's one key lets a Redis Cluster client send the script to the
   * master of that slot; a single server ignores it.
   */
  static final String ROUTING_KEY = "{sb}:nodes";

  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  static LuaScript load(String name) {
    return new LuaScript(name, resource(SHARED) + "\n" + resource(name + ".lua"));
  }

  String name() {
    return name;
  }

  Future<Response> run(RedisPipeline redis, List<String> args) {
    return redis.send(request(Command.EVALSHA, sha, args)).recover(failure -> {
      String message = String.valueOf(failure.getMessage());
      return message.startsWith("NOSCRIPT") ? redis.send(request(Command.EVAL, source, args)) : Future.failedFuture(failure);
    });
  }

  private static Request request(Command command, String script, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(1).arg(ROUTING_KEY);
    args.forEach(request::arg);
    return request;
  }

  private static String resource(String file) {
    try (InputStream in = LuaScript.class.getResourceAsStream("/lua/" + file)) {
      if (in == null) {
        throw new IllegalStateException("presence: no script lua/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
