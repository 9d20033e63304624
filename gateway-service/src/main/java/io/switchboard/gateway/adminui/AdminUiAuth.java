package io.switchboard.gateway.adminui;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.switchboard.common.ops.Audit;
import io.switchboard.socketio.ConnectMiddleware;
import io.switchboard.socketio.ConnectRefusedException;
import io.switchboard.socketio.Socket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may connect to the Admin UI's namespace, as the official package decides it: the CONNECT's
 * auth {@code {username, password}} checked against the configured user name and bcrypt hash, or
 * {@code {sessionId}} of an earlier login on this gateway (the UI keeps it and reconnects with it).
 *
 * <p>bcrypt is slow on purpose, so it runs on a worker thread, never on the event loop, at most
 * {@link #CHECKS_AT_ONCE} at a time on this node, and an address with {@link #FAILURES_PER_WINDOW}
 * failed logins in a window of {@link #WINDOW_MS} is refused unchecked until the window ends:
 * guessing costs little CPU, and gets a few guesses a minute. Every failed login is audited.
 */
final class AdminUiAuth implements ConnectMiddleware {
  static final String INVALID = "invalid credentials";
  static final String THROTTLED = "too many failed logins, try again in a minute";
  static final String BUSY = "too many logins at once, try again";
  static final long WINDOW_MS = 60_000;
  static final int FAILURES_PER_WINDOW = 10;
  static final int CHECKS_AT_ONCE = 2;
  /** A login's session lasts this long on this gateway; the UI logs in again after. */
  static final long SESSION_MS = 12 * 3600_000L;
  private static final int MAX_SESSIONS = 1000;
  private static final int MAX_ADDRESSES = 10_000;
  /** Where the session id given at login waits for the connection handler to send it. */
  static final String NEW_SESSION = "adminui.session";

  private final Vertx vertx;
  private final byte[] username;
  private final String passwordHash;
  private final BCrypt.Verifyer verifier =
      BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));
  private final Semaphore checks = new Semaphore(CHECKS_AT_ONCE);
  private final Map<String, Long> sessions = new ConcurrentHashMap<>();
  private volatile Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final long timer;

  AdminUiAuth(Vertx vertx, AdminUiSettings settings) {
    this.vertx = vertx;
    this.username = settings.username().getBytes(StandardCharsets.UTF_8);
    this.passwordHash = settings.passwordHash();
    this.timer = vertx.setPeriodic(WINDOW_MS, id -> roll(System.currentTimeMillis()));
  }

  @Override
  public Future<Void> handle(Socket socket) {
    JsonObject auth = socket.handshake().auth();
    Object sessionId = auth.getValue("sessionId");
    String password = auth.getValue("password") instanceof String p ? p : null;
    Object user = auth.getValue("username");
    // Not kept past the check: no listing or heap dump shows it.
    auth.remove("password");
    auth.remove("sessionId");
    if (sessionId instanceof String id && validSession(id)) {
      return Future.succeededFuture();
    }
    String address = socket.handshake().address();
    if (password == null || !(user instanceof String name)) {
      // The UI reconnecting with a session this gateway does not know (expired, or another gateway's):
      // it shows its login form. Not a guess at the password, so not counted.
      return refused(INVALID);
    }
    AtomicInteger failed = failures.get(address);
    if (failed != null && failed.get() >= FAILURES_PER_WINDOW) {
      return refused(THROTTLED);
    }
    if (!checks.tryAcquire()) {
      return refused(BUSY);
    }
    boolean nameMatches = MessageDigest.isEqual(username, name.getBytes(StandardCharsets.UTF_8));
    return vertx.executeBlocking(() -> {
      try {
        // Checked whatever the name, so that the time taken does not tell a right name from a wrong one.
        return verifier.verify(password.toCharArray(), passwordHash.toCharArray()).verified && nameMatches;
      } finally {
        checks.release();
      }
    }, false).compose(ok -> {
      if (!ok) {
        fail(address);
        Audit.event("adminui.login_failed", name, null, address, socket.id(), INVALID);
        return refused(INVALID);
      }
      socket.set(NEW_SESSION, newSession());
      return Future.succeededFuture();
    });
  }

  private static Future<Void> refused(String message) {
    return Future.failedFuture(new ConnectRefusedException(message, null));
  }

  boolean validSession(String id) {
    Long expires = sessions.get(id);
    return expires != null && expires > System.currentTimeMillis();
  }

  private String newSession() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String id = HexFormat.of().formatHex(bytes);
    if (sessions.size() >= MAX_SESSIONS) {
      expire(System.currentTimeMillis());
      if (sessions.size() >= MAX_SESSIONS) {
        // Still full of live sessions: the oldest-ending one goes.
        sessions.entrySet().stream().min(Map.Entry.comparingByValue())
            .ifPresent(oldest -> sessions.remove(oldest.getKey()));
      }
    }
    sessions.put(id, System.currentTimeMillis() + SESSION_MS);
    return id;
  }

  private void fail(String address) {
    Map<String, AtomicInteger> current = failures;
    if (address == null || (!current.containsKey(address) && current.size() >= MAX_ADDRESSES)) {
      // Beyond that many addresses in one window the check count still bounds the CPU spent.
      return;
    }
    current.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
  }

  /** A new window of failures; expired sessions go. */
  void roll(long now) {
    failures = new ConcurrentHashMap<>();
    expire(now);
  }

  private void expire(long now) {
    for (Iterator<Long> it = sessions.values().iterator(); it.hasNext();) {
      if (it.next() <= now) {
        it.remove();
      }
    }
  }

  void close() {
    vertx.cancelTimer(timer);
  }
}
