package io.switchboard.message.attachments;

import java.util.List;
import java.util.Locale;

/** The content types uploads may have (UPLOAD_CONTENT_TYPES): exact types, or {@code type/*}. */
public final class ContentTypes {
  private final List<String> allowed;

  public ContentTypes(String list) {
    this.allowed = java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  /** The type without parameters, lower case; null when it is no {@code type/subtype}. */
  public static String normalize(String contentType) {
    if (contentType == null) {
      return null;
    }
    String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return bare.matches("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*") ? bare : null;
  }

  public boolean allows(String contentType) {
    String type = normalize(contentType);
    if (type == null) {
      return false;
    }
    for (String pattern : allowed) {
      if (pattern.equals(type) || (pattern.endsWith("/*") && type.startsWith(pattern.substring(0, pattern.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  /** Images a browser may show inline; anything else is downloaded as a file (attachment). */
  static boolean inline(String contentType) {
    return contentType != null && contentType.matches("image/(png|jpeg|gif|webp)");
  }

  /** A Content-Disposition header for a file name of any characters (RFC 6266, with an ASCII fallback). */
  public static String disposition(String contentType, String fileName) {
    String ascii = fileName.replaceAll("[^A-Za-z0-9._ -]", "_");
    String encoded = java.net.URLEncoder.encode(fileName, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    return (inline(contentType) ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }
}
