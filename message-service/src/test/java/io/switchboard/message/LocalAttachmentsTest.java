package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.AttachmentAccess;
import io.switchboard.common.chat.AttachmentGrant;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.UploadTicket;
import io.switchboard.common.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attachments in the local store (a directory): the gateway writes uploads and streams downloads. */
@DisplayName("Attachments in message-service, local store")
class LocalAttachmentsTest extends AttachmentsContract {
  @TempDir
  static Path dir;

  @BeforeAll
  static void deploy() throws Exception {
    deploy(config -> config.with(ConfigKey.ATTACHMENTS_STORE, "local").with(ConfigKey.ATTACHMENTS_DIR, dir.toString()));
  }

  /** As the gateway does: its upload token granted, the bytes to the file the grant names. */
  @Override
  void put(UploadTicket ticket, byte[] bytes) throws Exception {
    String token = ticket.url().substring(ticket.url().indexOf("token=") + 6);
    AttachmentGrant grant = ask(vertx, Addresses.ATTACHMENT_ACCESS,
        new AttachmentAccess(AttachmentAccess.Kind.UPLOAD, ticket.attachment().id(), null, null, token));
    Files.write(Path.of(grant.file()), bytes);
  }

  @Override
  byte[] get(AttachmentGrant grant) throws Exception {
    assertNull(grant.redirect(), "the local store is served by the gateway");
    return Files.readAllBytes(Path.of(grant.file()));
  }

  @Test
  @DisplayName("an upload goes to the gateway with a token: a path of the gateway; a wrong token is FORBIDDEN; the file is in the store's directory")
  void uploadTicket() throws Exception {
    Sender alice = user("alice");
    Room room = room(alice);
    UploadTicket ticket = create(alice, room, "a.png", "image/png", 10);
    String id = ticket.attachment().id();
    assertTrue(ticket.url().startsWith("/api/uploads/" + id + "?token="), ticket.url());
    assertEquals("PUT", ticket.method());
    assertEquals("image/png", ticket.headers().get("Content-Type"));
    assertEquals("FORBIDDEN", refusal(new AttachmentAccess(AttachmentAccess.Kind.UPLOAD, id, null, null, "forged"),
        Addresses.ATTACHMENT_ACCESS));
    String token = ticket.url().substring(ticket.url().indexOf("token=") + 6);
    AttachmentGrant grant = ask(vertx, Addresses.ATTACHMENT_ACCESS, new AttachmentAccess(AttachmentAccess.Kind.UPLOAD, id, null, null, token));
    assertEquals(dir.toAbsolutePath().resolve(id), Path.of(grant.file()), "in the store's directory, named by the id");
    assertEquals(10, grant.size());
    assertEquals(alice.userId(), grant.userId());
  }
}
