package io.switchboard.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EmbeddedServersTest {

  @Test
  @DisplayName("embedded Postgres keeps its data across a stop and a start in the same directory")
  void postgresKeepsDataAcrossRestart() throws Exception {
    Path dir = TempDirs.deleteOnExit(Files.createTempDirectory("embedded-pg-test"));
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, true)) {
      pg.ensureDatabase("keep");
      try (Connection c = Jdbc.connect(pg.jdbcUrl("keep"))) {
        c.createStatement().execute("CREATE TABLE t (v int)");
        c.createStatement().execute("INSERT INTO t VALUES (42)");
      }
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, 0, true);
         Connection c = Jdbc.connect(pg.jdbcUrl("keep"))) {
      ResultSet rs = c.createStatement().executeQuery("SELECT v FROM t");
      assertTrue(rs.next());
      assertEquals(42, rs.getInt(1));
    }
  }

  @Test
  @DisplayName("embedded Redis answers PING and can be stopped and started on the same port")
  void redisStopsAndRestarts() throws Exception {
    try (EmbeddedRedis redis = EmbeddedRedis.start(0, true)) {
      assertEquals("+PONG", ping(redis.port()));
      redis.stop();
      redis.restart();
      assertEquals("+PONG", ping(redis.port()));
    }
  }

  private static String ping(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write("PING\r\n".getBytes());
      byte[] buf = new byte[64];
      int n = s.getInputStream().read(buf);
      return new String(buf, 0, n).trim();
    }
  }
}
