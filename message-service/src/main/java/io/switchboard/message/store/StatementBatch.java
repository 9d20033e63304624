package io.switchboard.message.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One statement run for many requests at once. Requests that arrive while a batch is on its way
 * queue up and leave together as the next one, so batches grow with load and a lone request leaves
 * at once. A batch is one {@code executeBatch}: the statement bound once per request and one Sync,
 * which Postgres runs as one implicit transaction. A storm of joins thus costs a few round trips and
 * a few commits, each with its WAL flush, instead of one of each per join (the flushes were what the
 * joins of a reconnect storm waited for).
 *
 * <p>When a batch fails (one statement's error aborts the others with it), each of its requests runs
 * again by itself, so each gets its own outcome. Requests may be put in an order within a batch:
 * statements that insert rows then take their locks in that order, and two batches in flight at
 * once (two message-service processes) cannot deadlock on each other's rows.
 *
 * <p>One batch at a time, on the context of the first request made from a Vert.x thread; requests
 * made from other threads hop to it. From outside Vert.x (a test's thread), each request runs alone.
 */
public final class StatementBatch {
  private final SqlClient client;
  private final String sql;
  private final int maxBatch;
  private final Comparator<Tuple> order;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private Context context;
  private boolean inFlight;

  private record Pending(Tuple params, Promise<RowSet<Row>> result) {}

  /** {@code order}: how to order a batch's requests, or null to keep their order of arrival. */
  public StatementBatch(SqlClient client, String sql, int maxBatch, Comparator<Tuple> order) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1");
    }
    this.client = client;
    this.sql = sql;
    this.maxBatch = maxBatch;
    this.order = order;
  }

  /** The statement's outcome for these parameters, as {@code preparedQuery(sql).execute(params)} gives it. */
  public Future<RowSet<Row>> execute(Tuple params) {
    Context current = Vertx.currentContext();
    if (current == null) {
      return client.preparedQuery(sql).execute(params);
    }
    Promise<RowSet<Row>> promise = Promise.promise();
    Pending pending = new Pending(params, promise);
    synchronized (this) {
      if (context == null) {
        context = current;
      }
    }
    if (current == context) {
      add(pending);
    } else {
      context.runOnContext(v -> add(pending));
    }
    return promise.future();
  }

  private void add(Pending pending) {
    queue.add(pending);
    if (!inFlight) {
      inFlight = true;
      // After the tasks already queued on this context: the requests of one burst leave together.
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    if (queue.isEmpty()) {
      inFlight = false;
      return;
    }
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      batch.add(queue.poll());
    }
    if (order != null) {
      batch.sort(Comparator.comparing(Pending::params, order));
    }
    Future<?> done = batch.size() == 1 ? alone(batch.get(0)) : together(batch);
    done.onComplete(ar -> flush());
  }

  private Future<?> together(List<Pending> batch) {
    return client.preparedQuery(sql).executeBatch(batch.stream().map(Pending::params).toList())
        .transform(ar -> {
          if (ar.failed()) {
            return Future.join(batch.stream().map(this::alone).toList());
          }
          RowSet<Row> rows = ar.result();
          for (Pending pending : batch) {
            pending.result().complete(rows);
            rows = rows.next();
          }
          return Future.succeededFuture();
        });
  }

  private Future<RowSet<Row>> alone(Pending pending) {
    return client.preparedQuery(sql).execute(pending.params()).onComplete(pending.result());
  }
}
