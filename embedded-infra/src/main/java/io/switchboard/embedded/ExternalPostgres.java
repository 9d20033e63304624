package io.switchboard.embedded;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** Database creation on a Postgres the tests did not start, given as a postgresql:// URI. */
final class ExternalPostgres {
  private ExternalPostgres() {}

  static void createDatabase(String uri, String name) throws SQLException {
    URI parsed = URI.create(uri);
    Properties props = new Properties();
    String userInfo = parsed.getUserInfo();
    if (userInfo != null) {
      String[] parts = userInfo.split(":", 2);
      props.setProperty("user", parts[0]);
      if (parts.length > 1) {
        props.setProperty("password", parts[1]);
      }
    }
    String jdbc = "jdbc:postgresql://" + parsed.getHost() + ":" + (parsed.getPort() < 0 ? 5432 : parsed.getPort())
        + parsed.getPath();
    try (Connection c = Jdbc.connect(jdbc, props)) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
  }

  static String withDatabase(String uri, String name) {
    URI parsed = URI.create(uri);
    String auth = parsed.getRawUserInfo() == null ? "" : parsed.getRawUserInfo() + "@";
    return "postgresql://" + auth + parsed.getHost() + ":" + (parsed.getPort() < 0 ? 5432 : parsed.getPort()) + "/" + name;
  }
}
