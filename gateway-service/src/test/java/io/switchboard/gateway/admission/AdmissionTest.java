package io.switchboard.gateway.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.ErrorCode;
import io.switchboard.gateway.ops.GatewayMetrics;
import io.switchboard.socketio.Handshake;
import io.switchboard.socketio.SessionAdmission.Refusal;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Admission: sessions counted from the handshake, CONNECTs throttled, refusals audited once per window")
class AdmissionTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
  private final Logger auditLogger = (Logger) LoggerFactory.getLogger("audit");
  private final AtomicBoolean draining = new AtomicBoolean();
  private RefusedConnects refusals;

  @BeforeEach
  void captureAudit() {
    audit.start();
    auditLogger.addAppender(audit);
    auditLogger.setAdditive(false);
  }

  @AfterEach
  void releaseAudit() {
    auditLogger.detachAppender(audit);
    auditLogger.setAdditive(true);
  }

  private Admission admission(int total, int perAddress, int failuresPerAddress) {
    refusals = new RefusedConnects(failuresPerAddress);
    return new Admission(tenant -> 0, new Admission.Limits(total, perAddress, 0), draining::get, refusals,
        new GatewayMetrics(meters));
  }

  private static Handshake from(String address) {
    return new Handshake(new JsonObject(), MultiMap.caseInsensitiveMultiMap(), MultiMap.caseInsensitiveMultiMap(),
        address, System.currentTimeMillis());
  }

  private List<String> auditLines() {
    return audit.list.stream().map(e -> e.getFormattedMessage() + " " + e.getKeyValuePairs()).toList();
  }

  @Test
  @DisplayName("the session past the capacity is refused with 503 SERVER_AT_CAPACITY until one closes")
  void capacity() {
    Admission admission = admission(3, 0, 0);
    for (int i = 0; i < 3; i++) {
      assertNull(admission.admit("10.0.0." + i));
    }
    Refusal refused = admission.admit("10.0.0.9");
    assertEquals(503, refused.status());
    assertEquals(new JsonObject().put("code", 503).put("message", "server at capacity")
        .put("data", new JsonObject().put("code", "SERVER_AT_CAPACITY")), new JsonObject(refused.body()));
    assertEquals(3, admission.sessions(), "a refused session is not counted");
    admission.release("10.0.0.1");
    assertNull(admission.admit("10.0.0.9"));
    assertEquals(1.0, meters.get("switchboard.gateway.refusals").tag("code", "SERVER_AT_CAPACITY").counter().count());
  }

  @Test
  @DisplayName("the session past the per-address limit is refused with 429 IP_CONNECTION_LIMIT, for that address only")
  void perAddress() {
    Admission admission = admission(100, 2, 0);
    assertNull(admission.admit("10.0.0.1"));
    assertNull(admission.admit("10.0.0.1"));
    Refusal refused = admission.admit("10.0.0.1");
    assertEquals(429, refused.status());
    assertEquals("IP_CONNECTION_LIMIT", new JsonObject(refused.body()).getJsonObject("data").getString("code"));
    assertNull(admission.admit("10.0.0.2"), "another address has its own count");
    admission.release("10.0.0.1");
    assertNull(admission.admit("10.0.0.1"), "a closed session frees its address's place");
    assertEquals(3, admission.sessions());
  }

  @Test
  @DisplayName("admits and releases racing on eight threads leave exact counts: no place lost, none gained")
  void concurrentCounts() throws Exception {
    Admission admission = admission(50, 5, 0);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> admitted = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String address = "10.0.0." + (t % 3);
      admitted.add(threads.submit(() -> {
        start.await();
        int n = 0;
        for (int i = 0; i < 20_000; i++) {
          if (admission.admit(address) == null) {
            n++;
            admission.release(address);
          }
        }
        return n;
      }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : admitted) {
      total += f.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();
    assertTrue(total > 0);
    assertEquals(0, admission.sessions());
    for (int i = 0; i < 5; i++) {
      assertNull(admission.admit("10.0.0.0"), "every place of the address is free again");
    }
    assertEquals(429, admission.admit("10.0.0.0").status());
  }

  @Test
  @DisplayName("an address whose tokens keep failing is throttled (CONNECT_THROTTLED) until the window ends; limits and other addresses are not")
  void throttle() {
    Admission admission = admission(100, 0, 3);
    Handshake guesser = from("10.0.0.1");
    for (int i = 0; i < 3; i++) {
      assertNull(admission.beforeAuth(guesser));
      admission.refused(guesser, "s" + i, i % 2 == 0 ? ErrorCode.AUTH_FAILED : ErrorCode.TOKEN_EXPIRED);
    }
    assertEquals(ErrorCode.CONNECT_THROTTLED, admission.beforeAuth(guesser));
    assertNull(admission.beforeAuth(from("10.0.0.2")));

    Handshake crowded = from("10.0.0.3");
    for (int i = 0; i < 10; i++) {
      admission.refused(crowded, "t" + i, ErrorCode.TENANT_CONNECTION_LIMIT);
    }
    assertNull(admission.beforeAuth(crowded), "refusals by a limit are no sign of guessing");

    refusals.roll();
    assertNull(admission.beforeAuth(guesser), "a new window starts afresh");
    draining.set(true);
    assertEquals(ErrorCode.SERVER_DRAINING, admission.beforeAuth(guesser));
  }

  @Test
  @DisplayName("the audit log gets the first refusal of an address in a window at once and the rest as one count when it ends")
  void auditOncePerWindow() {
    Admission admission = admission(100, 0, 5);
    Handshake guesser = from("10.0.0.1");
    for (int i = 0; i < 200; i++) {
      ErrorCode early = admission.beforeAuth(guesser);
      admission.refused(guesser, "s" + i, early != null ? early : ErrorCode.AUTH_FAILED);
    }
    admission.refused(from("10.0.0.2"), "other", ErrorCode.AUTH_FAILED);
    assertEquals(2, auditLines().size(), auditLines().toString());
    assertTrue(auditLines().get(0).contains("connect.refused") && auditLines().get(0).contains("10.0.0.1"));
    refusals.roll();
    List<String> lines = auditLines();
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(2).contains("connect.refused.suppressed") && lines.get(2).contains("199")
        && lines.get(2).contains("10.0.0.1"), lines.get(2));
    refusals.roll();
    assertEquals(3, auditLines().size(), "a quiet window writes nothing");
  }

  @Test
  @DisplayName("refusals from more addresses than it tracks are tallied together, never throttled, and the tally stays bounded")
  void manyAddresses() {
    Admission admission = admission(100, 0, 1);
    for (int i = 0; i < RefusedConnects.MAX_ADDRESSES + 1_000; i++) {
      String address = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
      admission.refused(from(address), "s", ErrorCode.AUTH_FAILED);
    }
    assertEquals(ErrorCode.CONNECT_THROTTLED, admission.beforeAuth(from("10.0.0.0")), "a tracked address");
    assertNull(admission.beforeAuth(from("10.1.3.231")), "an address past the bound is never throttled");
    long lines = auditLines().size();
    assertEquals(RefusedConnects.MAX_ADDRESSES + 1, lines, "one line per tracked address and one for the others");
  }
}
