package io.switchboard.socketio;

/**
 * Targets a set of sockets of one namespace on this node. Immutable: each call returns a new
 * operator. {@link #emit} encodes the packet once and writes the same frame to every target.
 */
public interface BroadcastOperator {

  BroadcastOperator to(String room);

  BroadcastOperator except(String roomOrSocketId);

  /**
   * Sends the event to every targeted socket; returns how many sockets it was written to. The
   * arguments may be encoded later (with recovery on and no target on this node, only if a
   * recovering socket needs them), so they must not change after the call. An argument that is
   * JSON text already (a Jackson {@code RawValue}) is written as it is.
   */
  int emit(String event, Object... args);
}
