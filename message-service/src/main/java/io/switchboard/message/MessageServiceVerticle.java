package io.switchboard.message;

import io.switchboard.common.ops.OpsEndpoints;
import io.switchboard.message.api.MessageBusApi;
import io.switchboard.message.api.NotificationsApi;
import io.switchboard.message.attachments.AttachmentStore;
import io.switchboard.message.attachments.Attachments;
import io.switchboard.message.attachments.ContentTypes;
import io.switchboard.message.attachments.OrphanUploadsJob;
import io.switchboard.message.api.PublicMessageApi;
import io.switchboard.message.api.PublicRoomApi;
import io.switchboard.message.api.RegionRelay;
import io.switchboard.message.store.RegionFeed;
import io.switchboard.common.runtime.Node;
import io.switchboard.message.store.MessageWriter;
import io.switchboard.message.store.PersistMetrics;
import io.switchboard.message.store.Migrations;
import io.switchboard.message.store.PgMessageStore;
import io.switchboard.message.store.PgRoomInvites;
import io.switchboard.message.store.PgRoomMembers;
import io.switchboard.message.store.PgRoomSettings;
import io.switchboard.message.store.PgMentions;
import io.switchboard.message.store.PgNotificationPolicies;
import io.switchboard.message.store.PgMessageSearch;
import io.switchboard.message.store.PgReactions;
import io.switchboard.message.store.PgUserBlocks;
import io.switchboard.message.store.Reads;
import io.switchboard.message.store.PartitionsJob;
import io.switchboard.message.store.RetentionJob;
import io.switchboard.message.webhooks.PushSubscriptions;
import io.switchboard.message.webhooks.WebhookApi;
import io.switchboard.message.webhooks.WebhookDispatcher;
import java.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.PoolOptions;

/**
 * message-service: migrates the schema, then answers the message and room requests of the event bus
 * from Postgres, and serves its ops endpoints.
 *
 * <p>Of the instances deployed in one process, exactly one is the writer: it alone takes the
 * messages to persist, so the rooms of this process are spread over one set of lanes. With a writer
 * per instance, two instances write the same rooms at once and wait on each other's room locks in
 * Postgres, which more than halves durable throughput. Deploy with {@link #instances}.
 */
public final class MessageServiceVerticle extends VerticleBase {
  private final MessageServiceConfig config;
  private final boolean writes;
  /** Connections of each instance's pipelined client, besides its pool. */
  static final int STATEMENT_CONNECTIONS = 2;

  /**
   * Connections of the client for single statements: two, pipelined; through a transaction pooler,
   * where a statement waits for the one before on its connection, as many as the pool (a client
   * connection to PgBouncer costs no server connection while idle).
   */
  private int statementConnections() {
    return config.transactionPooling() ? Math.max(STATEMENT_CONNECTIONS, config.poolSize()) : STATEMENT_CONNECTIONS;
  }

  private Pool pool;
  private SqlClient statements;
  private Pool replicaPool;
  private SqlClient replicaStatements;
  private long retentionTimer = -1;
  private PartitionsJob partitions;
  private long orphansTimer = -1;
  private HttpServer opsServer;
  private OpsEndpoints ops;
  private MessageWriter writer;
  private WebhookDispatcher webhooks;
  private RegionRelay regionRelay;
  private AttachmentStore attachmentStore;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  /** An instance that writes: one per process, or several in tests that stand for processes. */
  public MessageServiceVerticle(MessageServiceConfig config) {
    this(config, true);
  }

  private MessageServiceVerticle(MessageServiceConfig config, boolean writes) {
    this.config = config;
    this.writes = writes;
  }

  /** A supplier for {@code deployVerticle} with several instances: the first one made is the writer. */
  public static Supplier<MessageServiceVerticle> instances(MessageServiceConfig config) {
    AtomicBoolean writerMade = new AtomicBoolean();
    return () -> new MessageServiceVerticle(config, writerMade.compareAndSet(false, true));
  }

  @Override
  public Future<?> start() {
    pool = pool(config.postgres(), config.poolSize());
    // Single statements are pipelined over a few connections of their own: no connection to wait for.
    statements = PgBuilder.client()
        .with(new PoolOptions().setMaxSize(statementConnections()))
        .connectingTo(config.postgres())
        .using(vertx)
        .build();
    Reads reads = Reads.primaryOnly(statements, pool);
    if (config.replica() != null) {
      // The replica's reads: single statements pipelined as on the primary, searches in short transactions.
      replicaPool = pool(config.replica(), config.poolSize());
      replicaStatements = PgBuilder.client().with(new PoolOptions().setMaxSize(statementConnections())
              .setConnectionTimeout(3).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
          .connectingTo(config.replica()).using(vertx).build();
      reads = Reads.withReplica(statements, pool, replicaStatements, replicaPool, Node.meters(vertx));
    }
    ops = new OpsEndpoints(vertx, "message-service", config.adminToken())
        .readiness("postgres", () -> pool.query("SELECT 1").execute());
    if (writes) {
      PersistMetrics metrics = new PersistMetrics(Node.meters(vertx));
      writer = new MessageWriter(vertx, pool, config.writer(), metrics);
      metrics.pending(context.deploymentID() + "-" + Integer.toHexString(System.identityHashCode(this)), writer::pending);
      // The writer instance, one per process, runs retention; across processes its advisory lock takes turns.
      RetentionJob retention = new RetentionJob(pool, config.retention(), Node.meters(vertx));
      // The monthly partitions of messages on the same interval, first once the migrations are done.
      partitions = new PartitionsJob(pool, config.retention(), config.partitionsAhead(), Clock.systemUTC(),
          Node.meters(vertx));
      PartitionsJob monthly = partitions;
      retentionTimer = vertx.setPeriodic(config.retention().intervalSeconds() * 1000,
          id -> monthly.run().onComplete(ar -> retention.run()));
      // The writer instance, one per process, delivers webhooks; across processes they claim work safely.
      webhooks = new WebhookDispatcher(vertx, pool, config.webhooks(), config.push(), Node.meters(vertx));
      if (!config.region().isEmpty()) {
        // Regions sharing this primary hear of what this process stores; with the relay, this process hears of theirs.
        writer.announceTo(new RegionFeed(vertx, statements, config.region()));
        if (config.regionRelay()) {
          regionRelay = new RegionRelay(vertx, config.postgres(), statements, config.region(), Node.meters(vertx));
        }
      }
    }
    // Without a writer the store cannot persist; such an instance registers no consumer that does.
    PgMessageStore store = new PgMessageStore(pool, statements, writer, config.roomMembersMax(), reads);
    PgRoomMembers members = new PgRoomMembers(pool, statements, config.roomMembersMax());
    PgRoomSettings settings = new PgRoomSettings(pool);
    PgRoomInvites invites = new PgRoomInvites(pool, config.roomMembersMax());
    attachmentStore = config.attachments().open();
    Attachments attachments = new Attachments(vertx, statements, attachmentStore, config.attachments().maxUploadBytes(),
        new ContentTypes(config.attachments().contentTypes()));
    if (writes) {
      // Uploads never attached, on retention's interval; across processes the job's advisory lock takes turns.
      OrphanUploadsJob orphans = new OrphanUploadsJob(vertx, pool, attachmentStore, config.attachments().orphanHours(),
          OrphanUploadsJob.BATCH, Node.meters(vertx));
      orphansTimer = vertx.setPeriodic(config.retention().intervalSeconds() * 1000, id -> orphans.run());
    }
    MessageBusApi api = new MessageBusApi(vertx, store, members, settings, invites, new PgUserBlocks(pool),
        new PgReactions(pool, config.maxReactionKinds()), new PgMessageSearch(pool, statements, config.searchTimeoutMs(), reads), attachments);
    PartitionsJob firstPartitions = partitions;
    return Migrations.apply(vertx, config.postgres(), config.transactionPooling())
        // A failed pass is logged and tried again on the interval: the migration made months ahead too.
        .compose(v -> firstPartitions == null ? Future.succeededFuture() : firstPartitions.run().otherwiseEmpty().mapEmpty())
        .compose(v -> vertx.executeBlocking(() -> {
          attachmentStore.check();
          return null;
        }, false))
        .compose(v -> api.registerAttachments()).onSuccess(consumers::addAll)
        .compose(v -> api.registerRequests())
        .compose(registered -> new PublicRoomApi(vertx, store, members, settings, invites).register().map(fromServices -> {
          List<MessageConsumer<?>> all = new ArrayList<>(registered);
          all.add(fromServices);
          return all;
        }))
        .compose(registered -> {
          consumers.addAll(registered);
          return writes ? registerWrites(api, store) : Future.succeededFuture(List.<MessageConsumer<?>>of());
        })
        .compose(registered -> {
          consumers.addAll(registered);
          return new WebhookApi(vertx, pool, config.webhooks()).register();
        })
        .compose(registered -> {
          consumers.addAll(registered);
          return new NotificationsApi(vertx, new PgMentions(statements), new PgNotificationPolicies(statements)).register();
        })
        .compose(registered -> {
          consumers.addAll(registered);
          return new PushSubscriptions(vertx, pool, config.push()).register().map(List::<MessageConsumer<?>>of);
        })
        .compose(registered -> {
          consumers.addAll(registered);
          if (webhooks != null) {
            webhooks.start();
          }
          return regionRelay == null ? Future.succeededFuture() : regionRelay.start();
        })
        .compose(v -> ops.listen(config.opsHost(), config.opsPort()))
        .onSuccess(server -> opsServer = server);
  }

  private Pool pool(io.vertx.pgclient.PgConnectOptions db, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(10_000).setConnectionTimeout(3)
            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
        .connectingTo(db)
        .using(vertx)
        .build();
  }

  /** The writer's consumers: messages from gateways and from other services ({@code chat.message.create}). */
  private Future<List<MessageConsumer<?>>> registerWrites(MessageBusApi api, PgMessageStore store) {
    return api.registerWrites().compose(fromGateways -> new PublicMessageApi(vertx, store, config.maxBodyChars(), config.maxMetaBytes()).register().map(fromServices -> {
      List<MessageConsumer<?>> all = new ArrayList<>(fromGateways);
      all.add(fromServices);
      return all;
    }));
  }

  /**
   * Graceful stop: readiness turns false, the consumers go (new requests go to the other instances),
   * the messages already accepted are written (bounded by the writer's deadline), then the
   * connections close.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(retentionTimer);
    vertx.cancelTimer(orphansTimer);
    Future<Void> webhooksStopped = webhooks == null ? Future.succeededFuture() : webhooks.stop();
    Future<Void> relayStopped = regionRelay == null ? Future.succeededFuture() : regionRelay.stop();
    ops.startDrain();
    ops.close();
    Future<Void> unregistered = Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
    return unregistered
        .eventually(() -> writer == null ? Future.succeededFuture() : writer.drained(config.writer().deadlineMs() + 1000))
        .eventually(() -> webhooksStopped)
        .eventually(() -> relayStopped)
        .eventually(() -> opsServer == null ? Future.succeededFuture() : opsServer.close())
        .eventually(() -> statements == null ? Future.succeededFuture() : statements.close())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(() -> replicaStatements == null ? Future.succeededFuture() : replicaStatements.close())
        .eventually(() -> replicaPool == null ? Future.succeededFuture() : replicaPool.close())
        .eventually(() -> {
          if (attachmentStore instanceof AutoCloseable closeable) {
            return vertx.executeBlocking(() -> {
              closeable.close();
              return null;
            }, false);
          }
          return Future.succeededFuture();
        });
  }
}
