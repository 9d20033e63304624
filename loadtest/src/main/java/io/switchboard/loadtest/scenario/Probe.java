package io.switchboard.loadtest.scenario;

import io.switchboard.loadtest.protocol.SioClient;
import io.switchboard.loadtest.protocol.SioPacket;

/**
 * What {@link RateSender} sends and how its deliveries are measured: messages ({@link MessageProbe})
 * or reactions to messages ({@link ReactionProbe}).
 */
interface Probe {
  /** Registers a phase; what is sent with it is attributed to it. */
  Tally tally(String name, double offeredRate);

  /**
   * Sends one timed request from {@code client} in {@code roomId}, where {@code receivers} other sockets
   * should hear of it; callable from any thread (see {@link MessageProbe#send}).
   */
  void send(SioClient client, String roomId, int receivers, Tally tally, long sendMicros, Runnable onAck);

  /** The listener for every socket of the run. */
  void onEvent(SioClient client, SioPacket packet);
}
