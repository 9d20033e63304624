package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.engine.LoadContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One load pattern. {@link #run} sets the sockets up, drives the load, and completes with the
 * scenario's own results (steps, memory, verdicts), which the runner adds to the result document
 * beside the metrics and the timeline. It must finish in bounded time, and sooner once
 * {@link LoadContext#stopping()} turns true.
 */
public interface Scenario {
  String name();

  /** The scenario's options as JSON, for the result document. */
  JsonObject options();

  Future<JsonObject> run(LoadContext ctx);
}
