package io.switchboard.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Plain JDBC connections for set-up work (creating databases) and test assertions. The driver is
 * called directly: a shaded jar does not always carry its {@code java.sql.Driver} service entry.
 */
public final class Jdbc {
  private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

  private Jdbc() {}

  public static Connection connect(String jdbcUrl) throws SQLException {
    return connect(jdbcUrl, new Properties());
  }

  public static Connection connect(String jdbcUrl, Properties props) throws SQLException {
    Connection connection = DRIVER.connect(jdbcUrl, props);
    if (connection == null) {
      throw new SQLException("not a Postgres JDBC URL: " + jdbcUrl);
    }
    return connection;
  }
}
