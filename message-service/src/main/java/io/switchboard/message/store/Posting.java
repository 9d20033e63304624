package io.switchboard.message.store;

import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.Tenants;

/**
 * One message to write and who posts it, which decides where it may go: the system posts into any
 * room of the tenant it names (of any tenant when it names none); everyone else only into a room of
 * their tenant that they are a member of. The write function checks it (R__persist_messages.sql).
 */
record Posting(PersistRequest request, Envelope.Source source) {

  boolean bySystem() {
    return source == Envelope.Source.SYSTEM;
  }

  /**
   * The tenant whose rooms the message may go to; null (any tenant) only for the system posting
   * without a sender's tenant. A user without one is of the default tenant, as at the gateway.
   */
  String tenant() {
    String tenant = request.sender().tenant();
    return bySystem() && (tenant == null || tenant.isBlank()) ? null : Tenants.orDefault(tenant);
  }
}
