package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The browser chat app, the operator console and the client library against the packaged jar,
 * started as the README's run command starts it (dev mode, embedded databases). The scenarios are
 * the web module's vitest projects: {@code lib} drives the client library with Node, {@code react}
 * renders the React bindings' hooks with React Testing Library, {@code e2e}
 * drives headless Chromium with Playwright (two users in two browser contexts, one of them cut off
 * the network and back; three users running a room, muting a member, holding her to slow mode and blocking
 * her; the console while a scripted client sends; the official Socket.IO Admin UI; a phone-sized browser beside a laptop-sized one, each
 * view checked with axe-core):
 * the one the npm package {@code @sparticuz/chromium} carries, or {@code CHROMIUM_PATH}'s (see
 * {@code web/test/e2e/browser.ts}).
 */
class WebAppIT {
  private static final String ADMIN_TOKEN = "web-e2e-admin-token";
  private static final String ADMIN_UI_PASSWORD = "web-e2e-admin-ui-password";
  /** bcryptjs's hash of {@link #ADMIN_UI_PASSWORD}, as the Socket.IO Admin UI's docs make one. */
  private static final String ADMIN_UI_PASSWORD_HASH = "$2a$10$jOXZVbvzG2MJKZlrk2NCFOEGbwNXHqtuJN8SH5FQmHYbDmUOxokZ2";

  private static SwitchboardProcess app;
  private static Map<String, String> testEnv;

  @BeforeAll
  static void start() throws Exception {
    app = SwitchboardProcess.startSystem("web", Map.of(
        "ADMIN_TOKEN", ADMIN_TOKEN,
        // The official Socket.IO Admin UI logs in to the /admin namespace (web/test/e2e/adminui.test.ts).
        "ADMIN_UI_ENABLED", "true",
        "ADMIN_UI_USERNAME", "ops",
        "ADMIN_UI_PASSWORD_HASH", ADMIN_UI_PASSWORD_HASH,
        // Small, so that a catch-up after a drop pages past the join's recovery limit.
        "RECOVERY_MAX_MESSAGES", "3",
        // The member limit test fills a room to it: 1,000 rather than the default 10,000.
        "ROOM_MEMBERS_MAX", "1000"));
    testEnv = Map.of(
        "SWITCHBOARD_URL", app.url(),
        "SWITCHBOARD_ADMIN_TOKEN", ADMIN_TOKEN,
        "SWITCHBOARD_ADMIN_UI_USER", "ops",
        "SWITCHBOARD_ADMIN_UI_PASSWORD", ADMIN_UI_PASSWORD,
        "SCREENSHOT_DIR", Vitest.webDir().resolve("target/screenshots").toString());
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  @DisplayName("the client library: typed acks and errors, optimistic send and idempotent retry, catch-up after drops, history paging, token refresh, room list, calls, attachments, mentions, notification policies, away status and Web Push subscriptions; both packages packed and installed")
  void clientLibrary() throws Exception {
    assertAllPassed(Vitest.run("lib", testEnv, 180_000), 53);
  }

  @Test
  @DisplayName("the React bindings: messages optimistic then confirmed, older pages, typing, presence, unread, connection state across a drop, removal from the room, a provider that makes its client")
  void reactBindings() throws Exception {
    assertAllPassed(Vitest.run("react", testEnv, 120_000), 6);
  }

  @Test
  @DisplayName("in headless Chromium: two users chat with typing, receipts, edits and deletes, one goes offline and catches up exactly once, and is away while his page is hidden; three users run a room (members, roles, settings, archive, invitation link, removal, ban, leave, delete) and search public rooms; an owner mutes a member and sets slow mode, seen live, and a user blocks another; the console charts a scripted client; the React example chats between two pages; the official Socket.IO Admin UI logs in and lists a chat socket and its room; a phone user beside a laptop user, by touch and keyboard, offline from the service worker; an image and a file attached, with upload progress, refusals in words; axe-core clean on every view, no console error")
  void browsers() throws Exception {
    assertAllPassed(Vitest.run("e2e", testEnv, 180_000), 67);
  }

  /** Every test ran and passed: none failed, none was skipped, and there were as many as written. */
  private static void assertAllPassed(JsonObject summary, int expected) {
    assertEquals(0, summary.getInteger("numFailedTests"), summary::encode);
    assertEquals(0, summary.getInteger("numPendingTests") + summary.getInteger("numTodoTests"), "skipped tests");
    assertEquals(expected, summary.getInteger("numPassedTests"), "tests passed");
  }
}
