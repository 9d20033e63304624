package io.switchboard.common.chat;

/** Users without a {@code tenant} claim belong to the default tenant. */
public final class Tenants {
  public static final String DEFAULT = "default";

  private Tenants() {}

  public static String orDefault(String tenant) {
    return tenant == null || tenant.isBlank() ? DEFAULT : tenant;
  }
}
