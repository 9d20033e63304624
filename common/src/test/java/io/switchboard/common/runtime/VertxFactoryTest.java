package io.switchboard.common.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VertxFactoryTest {

  @Test
  @DisplayName("a process runs one event loop per core unless EVENT_LOOPS says otherwise")
  void eventLoops() throws Exception {
    assertEquals(Runtime.getRuntime().availableProcessors(), eventLoopsOf(Config.defaults()));
    assertEquals(3, eventLoopsOf(Config.defaults().with(ConfigKey.EVENT_LOOPS, 3)));
  }

  private static int eventLoopsOf(Config config) throws Exception {
    Vertx vertx = VertxFactory.create(config).await(30, TimeUnit.SECONDS);
    try {
      Set<Object> loops = new HashSet<>();
      ((VertxInternal) vertx).eventLoopGroup().forEach(loops::add);
      return loops.size();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
