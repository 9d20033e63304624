package io.switchboard.message.store;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * How long rooms keep their messages (docs/operations.md, "Retention"): {@code defaultDays} for every
 * tenant, {@code tenantDays} per tenant instead (0: forever), a room's own {@code retention_days}
 * before both; the job runs every {@code intervalSeconds} and deletes at most {@code batch} messages
 * per statement.
 */
public record RetentionSettings(int defaultDays, Map<String, Integer> tenantDays, long intervalSeconds, int batch) {
  public RetentionSettings {
    tenantDays = Map.copyOf(tenantDays);
    if (defaultDays < 0 || intervalSeconds < 1 || batch < 1 || tenantDays.values().stream().anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException("message-service: retention settings must be positive: " + defaultDays + ", "
          + tenantDays + ", " + intervalSeconds + ", " + batch);
    }
  }

  /** {@code tenant=days,...} as TENANT_RETENTION_DAYS writes it; blank: none. */
  public static Map<String, Integer> parseTenants(String value) {
    java.util.HashMap<String, Integer> days = new java.util.HashMap<>();
    for (String entry : value.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] pair = entry.split("=", 2);
      try {
        days.put(pair[0].trim(), Integer.parseInt(pair[1].trim()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("TENANT_RETENTION_DAYS: `tenant=days,...` expected, got `" + entry.trim() + "`");
      }
    }
    return days;
  }

  /** The tenants' days as the job's statement reads them. */
  JsonObject tenantsJson() {
    JsonObject json = new JsonObject();
    tenantDays.forEach(json::put);
    return json;
  }
}
