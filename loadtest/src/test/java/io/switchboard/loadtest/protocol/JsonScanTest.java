package io.switchboard.loadtest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading values out of raw JSON text")
class JsonScanTest {

  @Test
  @DisplayName("finds the integer after a key, from a given position")
  void longAfter() {
    String json = "{\"new\":{\"body\":\"x\",\"meta\":{\"lt\":1700000000123456,\"st\":3}}}";
    int meta = json.indexOf("\"meta\":");
    assertEquals(1700000000123456L, JsonScan.longAfter(json, "\"lt\":", meta, -1));
    assertEquals(3, JsonScan.longAfter(json, "\"st\":", meta, -1));
    assertEquals(-1, JsonScan.longAfter(json, "\"nope\":", 0, -1));
    assertEquals(-1, JsonScan.longAfter("{\"lt\":\"text\"}", "\"lt\":", 0, -1));
    assertEquals(-42, JsonScan.longAfter("{\"lt\": -42}", "\"lt\":", 0, 0));
  }

  @Test
  @DisplayName("reads strings with escapes and reports where they end")
  void readString() {
    int[] end = new int[1];
    assertEquals("plain", JsonScan.readString("\"plain\",1", 0, end));
    assertEquals(7, end[0]);
    assertEquals("a\"b\\c\nd\u00e9", JsonScan.readString("\"a\\\"b\\\\c\\nd\\u00e9\"", 0, end));
    assertNull(JsonScan.readString("\"open", 0, end));
  }

  @Test
  @DisplayName("quotes strings so that they read back the same")
  void quote() {
    String s = "tab\t \"quote\" back\\slash \u0001";
    int[] end = new int[1];
    assertEquals(s, JsonScan.readString(JsonScan.quote(s), 0, end));
  }
}
