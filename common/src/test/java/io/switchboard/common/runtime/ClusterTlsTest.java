package io.switchboard.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.ClusterCertificates;
import io.switchboard.embedded.Ports;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Real cluster members in this JVM, each with its own Hazelcast member and event bus: two members
 * with certificates of the cluster's CA, and two intruders that join the same Hazelcast cluster,
 * one with a plain event bus and one with a certificate of another CA. The intruders can register
 * consumers and send, but the members' bus talks only to holders of the CA's certificates.
 */
@DisplayName("The clustered event bus runs over TLS with client certificates")
class ClusterTlsTest {
  private static final long TIMEOUT_S = 60;
  /** How long a message the members published is given to reach an intruder, after a member got it. */
  private static final long NOTHING_WITHIN_MS = 2_000;

  private static final List<Vertx> ALL = new ArrayList<>();
  private static ClusterCertificates.Ca ca;
  private static String members;
  private static int[] ports;
  private static Vertx alpha;
  private static Vertx beta;
  private static Vertx plain;
  private static Vertx foreign;

  @BeforeAll
  static void cluster() throws Exception {
    // Hazelcast's master admits joiners after 5 s by default; 1 s keeps four joins short.
    System.setProperty("hazelcast.wait.seconds.before.join", "1");
    ca = ClusterCertificates.newCa();
    ports = new int[] {Ports.free(), Ports.free(), Ports.free(), Ports.free()};
    members = java.util.Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    alpha = start(member(0, ClusterCertificates.member(ca)));
    beta = start(member(1, ClusterCertificates.member(ca)));
    plain = startWithoutTls(member(2, ClusterCertificates.member(ca)));
    foreign = start(member(3, ClusterCertificates.member(ClusterCertificates.newCa())));
    for (Vertx v : ALL) {
      eventually(() -> nodes(v) == 4, "every member sees the four Hazelcast members");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (Vertx v : ALL) {
      v.close().await(TIMEOUT_S, TimeUnit.SECONDS);
    }
  }

  private static Config member(int index, ClusterCertificates.Member tls) {
    return Config.defaults().with(ConfigKey.CLUSTER, true).with(ConfigKey.CLUSTER_HOST, "127.0.0.1")
        .with(ConfigKey.CLUSTER_PORT, ports[index]).with(ConfigKey.CLUSTER_MEMBERS, members)
        .with(ConfigKey.EVENT_LOOPS, 1)
        .with(ConfigKey.CLUSTER_TLS_CA, tls.ca()).with(ConfigKey.CLUSTER_TLS_CERT, tls.cert())
        .with(ConfigKey.CLUSTER_TLS_KEY, tls.key());
  }

  private static Vertx start(Config config) throws Exception {
    Vertx v = VertxFactory.create(config).await(TIMEOUT_S, TimeUnit.SECONDS);
    ALL.add(v);
    return v;
  }

  /** A process that joins Hazelcast as the members do (the cluster name is no secret) with a plain event bus. */
  private static Vertx startWithoutTls(Config config) throws Exception {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(1);
    options.getEventBusOptions().setHost("127.0.0.1");
    Vertx v = Vertx.builder().with(options).withClusterManager(VertxFactory.clusterManager(config)).buildClustered()
        .await(TIMEOUT_S, TimeUnit.SECONDS);
    ALL.add(v);
    return v;
  }

  @Test
  @DisplayName("an intruder that joined Hazelcast without a certificate, or with one of another CA, registers on gateway.fanout and receives nothing the members publish, while a member receives it")
  void intrudersReceiveNothing() throws Exception {
    String address = Addresses.GATEWAY_FANOUT;
    List<String> atPlain = new CopyOnWriteArrayList<>();
    List<String> atForeign = new CopyOnWriteArrayList<>();
    CompletableFuture<String> atBeta = new CompletableFuture<>();
    List<MessageConsumer<String>> consumers = List.of(
        plain.eventBus().<String>consumer(address, m -> atPlain.add(m.body())),
        foreign.eventBus().<String>consumer(address, m -> atForeign.add(m.body())),
        beta.eventBus().<String>consumer(address, m -> atBeta.complete(m.body())));
    try {
      for (MessageConsumer<String> c : consumers) {
        c.completion().await(TIMEOUT_S, TimeUnit.SECONDS);
      }
      eventually(() -> registrations(alpha, address) == 3, "alpha sees the three registrations");

      alpha.eventBus().publish(address, "for members only");

      assertEquals("for members only", atBeta.get(TIMEOUT_S, TimeUnit.SECONDS), "a member receives it");
      Thread.sleep(NOTHING_WITHIN_MS);
      assertEquals(List.of(), atPlain, "the intruder without a certificate");
      assertEquals(List.of(), atForeign, "the intruder with another CA's certificate");
    } finally {
      for (MessageConsumer<String> c : consumers) {
        c.unregister().await(TIMEOUT_S, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("an intruder's requests to chat.message.persist fail and never reach the member's consumer; a member's request does")
  void intrudersCannotSend() throws Exception {
    String address = Addresses.MESSAGE_PERSIST;
    List<String> received = new CopyOnWriteArrayList<>();
    MessageConsumer<String> persist = beta.eventBus().consumer(address, m -> {
      received.add(m.body());
      m.reply("stored");
    });
    try {
      persist.completion().await(TIMEOUT_S, TimeUnit.SECONDS);
      for (Vertx intruder : List.of(plain, foreign)) {
        eventually(() -> registrations(intruder, address) == 1, "the intruder sees the member's consumer");
        Throwable failure = assertThrows(CompletionException.class, () -> intruder.eventBus()
            .request(address, "persist as anyone", new DeliveryOptions().setSendTimeout(3_000))
            .toCompletionStage().toCompletableFuture().join()).getCause();
        assertTrue(failure instanceof ReplyException, String.valueOf(failure));
        assertNotEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) failure).failureType(),
            "the intruder did try to reach the consumer");
      }
      assertEquals("stored", alpha.eventBus().request(address, "from a member").await(TIMEOUT_S, TimeUnit.SECONDS).body());
      assertEquals(List.of("from a member"), received);
    } finally {
      persist.unregister().await(TIMEOUT_S, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a clustered process without TLS material refuses to start and names the keys to set")
  void refusesWithoutMaterial() {
    // Nothing listens there: the process must refuse before it joins anything.
    Config config = Config.defaults().with(ConfigKey.CLUSTER, true).with(ConfigKey.CLUSTER_MEMBERS, "127.0.0.1:1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VertxFactory.create(config));
    for (ConfigKey key : List.of(ConfigKey.CLUSTER_TLS_CA, ConfigKey.CLUSTER_TLS_CERT, ConfigKey.CLUSTER_TLS_KEY)) {
      assertTrue(e.getMessage().contains(key.env()), e.getMessage());
    }
  }

  @Test
  @DisplayName("a member certificate of another CA, or a key that is not the certificate's, is refused at start-up")
  void refusesMismatchedMaterial() {
    ClusterCertificates.Member ours = ClusterCertificates.member(ca);
    ClusterCertificates.Member theirs = ClusterCertificates.member(ClusterCertificates.newCa());
    Config wrongCa = member(0, new ClusterCertificates.Member(ours.ca(), theirs.cert(), theirs.key()));
    Config wrongKey = member(0, new ClusterCertificates.Member(ours.ca(), ours.cert(), theirs.key()));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VertxFactory.create(wrongCa)).getMessage()
        .contains("CLUSTER_TLS_CERT (cluster.tls.cert) was not issued by a CA of CLUSTER_TLS_CA"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VertxFactory.create(wrongKey)).getMessage()
        .contains("CLUSTER_TLS_KEY (cluster.tls.key) is not the key of CLUSTER_TLS_CERT"));
  }

  @Test
  @DisplayName("the middle step of a rotation: members that trust the old and the new CA talk both ways, whichever CA issued their certificate")
  void rotationBundle() throws Exception {
    ClusterCertificates.Ca next = ClusterCertificates.newCa();
    Path bundle = Files.createTempFile("switchboard-trust", ".crt");
    Files.writeString(bundle, Files.readString(ca.certificate()) + Files.readString(next.certificate()));
    ClusterCertificates.Member old = ClusterCertificates.member(ca);
    ClusterCertificates.Member renewed = ClusterCertificates.member(next);
    int[] extra = {Ports.free(), Ports.free()};
    String all = members + ",127.0.0.1:" + extra[0] + ",127.0.0.1:" + extra[1];
    Vertx gamma = start(member(0, new ClusterCertificates.Member(bundle, old.cert(), old.key()))
        .with(ConfigKey.CLUSTER_PORT, extra[0]).with(ConfigKey.CLUSTER_MEMBERS, all));
    Vertx delta = start(member(0, new ClusterCertificates.Member(bundle, renewed.cert(), renewed.key()))
        .with(ConfigKey.CLUSTER_PORT, extra[1]).with(ConfigKey.CLUSTER_MEMBERS, all));
    try {
      assertEquals("old to new", echo(gamma, delta, "tls.rotation.to-new", "old to new"));
      assertEquals("new to old", echo(delta, gamma, "tls.rotation.to-old", "new to old"));
    } finally {
      for (Vertx v : List.of(gamma, delta)) {
        v.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        ALL.remove(v);
      }
    }
  }

  /** A request from one member to an echo consumer on another. */
  private static String echo(Vertx from, Vertx to, String address, String body) throws Exception {
    MessageConsumer<String> consumer = to.eventBus().consumer(address, m -> m.reply(m.body()));
    consumer.completion().await(TIMEOUT_S, TimeUnit.SECONDS);
    eventually(() -> registrations(from, address) == 1, "the sender sees the consumer");
    try {
      return from.eventBus().<String>request(address, body, new DeliveryOptions().setSendTimeout(10_000))
          .await(TIMEOUT_S, TimeUnit.SECONDS).body();
    } finally {
      consumer.unregister().await(TIMEOUT_S, TimeUnit.SECONDS);
    }
  }

  private static int nodes(Vertx v) {
    return ((VertxInternal) v).clusterManager().getNodes().size();
  }

  private static int registrations(Vertx v, String address) {
    Promise<List<RegistrationInfo>> found = Promise.promise();
    ((VertxInternal) v).clusterManager().getRegistrations(address, found);
    try {
      return found.future().await(TIMEOUT_S, TimeUnit.SECONDS).size();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer from the cluster manager", e);
    }
  }

  /** Polls a condition on this (test) thread until it holds, for at most the timeout. */
  private static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + TIMEOUT_S * 1000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("never: " + what);
      }
      Thread.sleep(50);
    }
  }
}
