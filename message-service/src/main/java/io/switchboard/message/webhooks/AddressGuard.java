package io.switchboard.message.webhooks;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * No SSRF through a tenant's settings: an endpoint's host is resolved and refused when any of its
 * addresses is loopback, private, link-local, unique-local, carrier-grade NAT, multicast or the
 * unspecified address, unless {@code WEBHOOKS_ALLOW_PRIVATE}. Checked when an endpoint is created and
 * before every request; the request then goes to the address checked (not resolved again), so that a
 * name that changes its answer in between (DNS rebinding) reaches nothing else.
 */
final class AddressGuard {
  private final Vertx vertx;
  private final boolean allowPrivate;

  AddressGuard(Vertx vertx, boolean allowPrivate) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
  }

  /** The URL parsed, or VALIDATION_ERROR: absolute http(s) with a host, no user info, no fragment. */
  static URI parse(String url) {
    URI uri;
    try {
      uri = url == null || url.length() > 2000 ? null : new URI(url);
    } catch (Exception e) {
      uri = null;
    }
    if (uri == null || uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw ServiceException.of(ErrorCode.VALIDATION_ERROR, "url: an absolute http or https URL without user info");
    }
    return uri;
  }

  /** The address to connect to, or a VALIDATION_ERROR failure saying why the host is refused. */
  Future<InetAddress> resolve(URI uri) {
    String host = uri.getHost();
    return vertx.executeBlocking(() -> {
      InetAddress[] all;
      try {
        all = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
      } catch (UnknownHostException e) {
        throw ServiceException.of(ErrorCode.VALIDATION_ERROR, "url: host " + host + " not found");
      }
      if (!allowPrivate) {
        for (InetAddress address : all) {
          if (internal(address)) {
            throw ServiceException.of(ErrorCode.VALIDATION_ERROR,
                "url: " + host + " is a private or loopback address (WEBHOOKS_ALLOW_PRIVATE)");
          }
        }
      }
      return all[0];
    }, false);
  }

  static boolean internal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
          || first >= 240;
    }
    if (address instanceof Inet6Address) {
      // fc00::/7 unique local; ::ffff:a.b.c.d is handled by InetAddress as an Inet4Address.
      return (b[0] & 0xfe) == 0xfc;
    }
    return false;
  }
}
