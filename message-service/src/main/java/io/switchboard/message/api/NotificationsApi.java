package io.switchboard.message.api;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.MentionListRequest;
import io.switchboard.common.chat.NotificationPolicyRequest;
import io.switchboard.message.store.PgMentions;
import io.switchboard.message.store.PgNotificationPolicies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What reaches a user who is not looking (docs/protocol.md, "Mentions", "Notifications"): their
 * mentions and their notification policies, over the event bus for the gateways, and their digest
 * ({@code chat.digest}) for other services.
 */
public final class NotificationsApi {
  private final EventBus bus;
  private final PgMentions mentions;
  private final PgNotificationPolicies policies;

  public NotificationsApi(Vertx vertx, PgMentions mentions, PgNotificationPolicies policies) {
    this.bus = vertx.eventBus();
    this.mentions = mentions;
    this.policies = policies;
  }

  public Future<List<MessageConsumer<?>>> register() {
    List<MessageConsumer<?>> consumers = List.of(
        bus.<MentionListRequest>consumer(Addresses.MENTION_LIST, msg -> MessageBusApi.answer(msg, mentions::list)),
        bus.<NotificationPolicyRequest>consumer(Addresses.NOTIFICATION_POLICY, msg -> MessageBusApi.answer(msg, policies::handle)),
        bus.<JsonObject>consumer(Addresses.CHAT_DIGEST, msg -> MessageBusApi.answer(msg, mentions::digest)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).map(v -> consumers);
  }
}
