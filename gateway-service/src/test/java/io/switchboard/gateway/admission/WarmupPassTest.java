package io.switchboard.gateway.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The warm-up's pass")
class WarmupPassTest {
  private final ConnectAdmission admission = new ConnectAdmission(null, null, null, null);

  private static JsonObject auth(String pass, String user) {
    return new JsonObject().put("warmup", pass).put("user", user);
  }

  @Test
  @DisplayName("admits a user of the warm-up tenant while the warm-up runs, and nobody once it is over")
  void onlyWhileOpen() {
    assertNull(admission.warmupPrincipal(auth("guess", "u1")), "no pass before the warm-up");
    String pass = admission.openWarmup();
    assertEquals(ConnectAdmission.WARMUP_TENANT, admission.warmupPrincipal(auth(pass, "u1")).sender().tenant());
    assertNull(admission.warmupPrincipal(auth(pass + "x", "u1")), "another pass");
    assertNull(admission.warmupPrincipal(auth(pass, "two words")), "an invalid user id");
    admission.closeWarmup();
    assertNull(admission.warmupPrincipal(auth(pass, "u1")), "the pass is forgotten when the warm-up ends");
  }
}
