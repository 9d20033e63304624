package io.switchboard.loadtest.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WireBytesTest {
  @Test
  @DisplayName("sums bytes_received and bytes_acked over every socket of ss -ti's output; a socket without them counts 0")
  void parse() {
    String ss = """
        0      0      127.0.0.2:41234 127.0.0.1:3600
        \t cubic wscale:7,7 rto:204 rtt:0.05/0.025 mss:32768 bytes_sent:3120 bytes_acked:3120 bytes_received:98000 segs_out:40 segs_in:60
        0      0      127.0.0.3:41240 127.0.0.1:3600
        \t cubic wscale:7,7 rto:204 rtt:0.04/0.02 mss:32768 bytes_sent:880 bytes_acked:880 bytes_received:12 segs_out:4 segs_in:3
        0      0      127.0.0.4:41250 127.0.0.1:3600
        \t cubic wscale:7,7 rto:204 rtt:0.04/0.02 mss:32768 segs_out:1 segs_in:1
        """;
    assertEquals(new WireBytes.Totals(98_012, 4_000), WireBytes.parse(ss));
  }
}
