package io.switchboard.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free ports for servers this process starts (embedded databases, tests). Taken below the ephemeral
 * range (32768 and up on Linux), where the outgoing connections of other processes cannot grab one
 * between the check and the bind, and never the same port twice in one JVM: two servers of one
 * Vert.x on one port would silently share it.
 */
public final class Ports {
  private static final int FIRST = 20_000;
  private static final int COUNT = 12_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final Random RANDOM = new Random();

  private Ports() {}

  /**
   * Ports this process is configured to listen on later: {@link #free} never hands them out, so an
   * embedded database started first cannot take the gateway's port.
   */
  public static void reserve(int... ports) {
    for (int port : ports) {
      if (port > 0) {
        HANDED_OUT.add(port);
      }
    }
  }

  public static int free() throws IOException {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = FIRST + RANDOM.nextInt(COUNT);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // In use: try another.
      }
    }
    throw new IOException("no free port between " + FIRST + " and " + (FIRST + COUNT));
  }
}
