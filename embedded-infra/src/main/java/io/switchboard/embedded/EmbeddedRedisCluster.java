package io.switchboard.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis Cluster of three masters, each with one replica, run by this process on 127.0.0.1 with
 * the binary of embedded-redis (Redis 6.2). The cluster is formed as {@code redis-cli --cluster create}
 * would: slots split in three, {@code CLUSTER MEET}, {@code CLUSTER REPLICATE}; {@link #start()}
 * returns once every node sees the cluster ok and every replica is in sync. The node timeout is 1 s,
 * so a replica takes over within a few seconds of its master's death.
 *
 * <p>Blocking: call from a test thread, never from an event loop.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisCluster.class);
  private static final int MASTERS = 3;
  private static final int SLOTS = 16384;
  private static final Await AWAIT = new Await("redis cluster", 30_000, 50);

  private final Path dir;
  private final List<Integer> ports = new ArrayList<>();
  private final List<RedisServer> servers = new ArrayList<>();

  private EmbeddedRedisCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts six servers and forms the cluster; the caller closes it. */
  public static EmbeddedRedisCluster start() throws IOException {
    EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(
        TempDirs.deleteOnExit(Files.createTempDirectory("switchboard-redis-cluster")));
    try {
      cluster.startServers();
      cluster.form();
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    LOG.info("embedded redis cluster: masters {} replicas {}", cluster.ports.subList(0, MASTERS),
        cluster.ports.subList(MASTERS, 2 * MASTERS));
    return cluster;
  }

  /** The nodes' URIs, comma separated: a REDIS_URL for REDIS_MODE=cluster. */
  public String uris() {
    return String.join(",", ports.stream().map(p -> "redis://127.0.0.1:" + p).toList());
  }

  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** The port of the master serving {@code key}'s slot now. */
  public int masterOf(String key) {
    int live = liveNode();
    long slot = Long.parseLong(command(live, "CLUSTER", "KEYSLOT", key).toString());
    for (String line : nodesView(live).split("\n")) {
      String[] f = line.split(" ");
      if (f.length > 8 && f[2].contains("master") && !f[2].contains("fail")) {
        for (int i = 8; i < f.length; i++) {
          String[] range = f[i].split("-");
          if (range[0].startsWith("[")) {
            continue;
          }
          long from = Long.parseLong(range[0]);
          long to = range.length > 1 ? Long.parseLong(range[1]) : from;
          if (slot >= from && slot <= to) {
            return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
          }
        }
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /**
   * A manual failover, as in maintenance: the replica of the master serving {@code key} takes over
   * once it has all its master's writes; the old master becomes its replica, connections stay open.
   * Returns the new master's port once the cluster is ok.
   */
  public int manualFailover(String key) {
    int master = masterOf(key);
    String masterId = command(master, "CLUSTER", "MYID").toString();
    int replica = -1;
    for (String line : nodesView(master).split("\n")) {
      String[] f = line.split(" ");
      if (f.length > 3 && f[2].contains("slave") && f[3].equals(masterId)) {
        replica = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
      }
    }
    if (replica < 0) {
      throw new IllegalStateException("master " + master + " has no replica");
    }
    command(replica, "CLUSTER", "FAILOVER");
    return awaitFailover(key, master);
  }

  /** Kills the server on {@code port} (no goodbye to the cluster): its replica is promoted. */
  public void kill(int port) throws IOException {
    servers.get(ports.indexOf(port)).stop();
  }

  /** Waits until a node other than {@code deadPort} serves {@code key} and the cluster is ok again. */
  public int awaitFailover(String key, int deadPort) {
    // The view changes meanwhile: a look that fails is made again.
    return AWAIT.retryingErrors().value(() -> {
      int master = masterOf(key);
      return master != deadPort && command(master, "CLUSTER", "INFO").toString().contains("cluster_state:ok") ? master : null;
    }, last -> new IllegalStateException("no failover of " + key + " within " + AWAIT.timeoutMs() + " ms: "
        + nodesView(liveNode()), last));
  }

  private void startServers() throws IOException {
    for (int i = 0; i < 2 * MASTERS; i++) {
      int port = clusterPort();
      RedisServer server = RedisServer.newRedisServer()
          .port(port)
          .bind("127.0.0.1")
          .setting("save \"\"")
          .setting("appendonly no")
          .setting("dir " + dir)
          .setting("cluster-enabled yes")
          .setting("cluster-config-file nodes-" + port + ".conf")
          .setting("cluster-node-timeout 1000")
          .onShutdownForceStop(true)
          .build();
      ports.add(port);
      servers.add(server);
      server.start();
    }
  }

  private void form() {
    int first = ports.get(0);
    for (int m = 0; m < MASTERS; m++) {
      int from = m * SLOTS / MASTERS;
      int to = (m + 1) * SLOTS / MASTERS;
      List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int s = from; s < to; s++) {
        args.add(Integer.toString(s));
      }
      command(ports.get(m), args.toArray(String[]::new));
    }
    for (int port : ports.subList(1, ports.size())) {
      command(first, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(port));
    }
    AWAIT.until("every node sees six", () -> ports.stream()
        .allMatch(p -> nodesView(p).lines().filter(l -> !l.contains("handshake") && !l.contains("noaddr")).count() == 2L * MASTERS));
    for (int r = 0; r < MASTERS; r++) {
      String masterId = command(ports.get(r), "CLUSTER", "MYID").toString();
      command(ports.get(MASTERS + r), "CLUSTER", "REPLICATE", masterId);
    }
    AWAIT.until("the cluster is ok", () -> ports.stream()
        .allMatch(p -> command(p, "CLUSTER", "INFO").toString().contains("cluster_state:ok")));
    AWAIT.until("the replicas are in sync", () -> ports.subList(MASTERS, ports.size()).stream()
        .allMatch(p -> command(p, "INFO", "replication").toString().contains("master_link_status:up")));
    AWAIT.until("every node knows the replicas", () -> ports.stream()
        .allMatch(p -> nodesView(p).lines().filter(l -> l.contains("slave")).count() == MASTERS));
  }

  private String nodesView(int port) {
    return command(port, "CLUSTER", "NODES").toString();
  }

  private int liveNode() {
    for (int i = 0; i < ports.size(); i++) {
      if (servers.get(i).isActive()) {
        return ports.get(i);
      }
    }
    throw new IllegalStateException("no node runs");
  }

  /** A port whose cluster bus port (+10000) is free too. */
  private static int clusterPort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (free(port) && free(port + 10_000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair for a redis cluster node");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * One command on its own connection, answered as a String (status, bulk, integer) or a List;
   * an error reply throws. Enough RESP for forming and watching the cluster.
   */
  public static Object command(int port, String... args) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return reply(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new IllegalStateException("redis 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  private static Object reply(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+', ':' -> {
        return line;
      }
      case '-' -> throw new IllegalStateException("redis error: " + line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length + 2);
        return new String(data, 0, length, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(reply(in));
        }
        return items;
      }
      default -> throw new IOException("unexpected reply type " + type);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      line.append((char) c);
    }
    in.read();
    return line.toString();
  }

  @Override
  public void close() {
    for (RedisServer server : servers) {
      try {
        if (server.isActive()) {
          server.stop();
        }
      } catch (IOException e) {
        LOG.warn("embedded redis cluster: stop failed: {}", e.toString());
      }
    }
    TempDirs.delete(dir);
  }
}
