package io.switchboard.message.store;

import io.switchboard.common.chat.Delivery;
import io.switchboard.common.chat.PersistResult;

/** A persisted message with the delivery mode of its room, for the announcement that follows. */
public record Stored(PersistResult result, Delivery delivery) {}
