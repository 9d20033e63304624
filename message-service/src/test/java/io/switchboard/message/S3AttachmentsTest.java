package io.switchboard.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.chat.AttachmentGrant;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.UploadTicket;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.embedded.S3MockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Attachments in an S3-compatible store: a real S3Mock server, run as its own process. Clients put
 * and get the bytes with presigned URLs, straight to the store.
 */
@DisplayName("Attachments in message-service, S3 store (S3Mock)")
class S3AttachmentsTest extends AttachmentsContract {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static S3MockServer s3;

  @BeforeAll
  static void deploy() throws Exception {
    s3 = S3MockServer.shared();
    deploy(config -> config.with(ConfigKey.ATTACHMENTS_STORE, "s3").with(ConfigKey.S3_ENDPOINT, s3.endpoint())
        .with(ConfigKey.S3_BUCKET, S3MockServer.BUCKET).with(ConfigKey.S3_ACCESS_KEY, S3MockServer.ACCESS_KEY)
        .with(ConfigKey.S3_SECRET_KEY, S3MockServer.SECRET_KEY));
  }

  /** As a client does: a PUT of the bytes to the presigned URL, with the headers it names. */
  @Override
  void put(UploadTicket ticket, byte[] bytes) throws Exception {
    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(ticket.url())).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    ticket.headers().forEach(put::header);
    HttpResponse<String> response = HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
  }

  @Override
  byte[] get(AttachmentGrant grant) throws Exception {
    assertNull(grant.file(), "an object store serves the bytes itself");
    HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(grant.redirect())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertEquals(grant.contentType(), response.headers().firstValue("Content-Type").orElse(null));
    return response.body();
  }

  @Test
  @DisplayName("an upload goes straight to the store: a presigned PUT of the bucket's endpoint, path-style, with its signed headers")
  void presignedUpload() throws Exception {
    Sender alice = user("alice");
    Room room = room(alice);
    UploadTicket ticket = create(alice, room, "a.png", "image/png", 10);
    assertTrue(ticket.url().startsWith(s3.endpoint() + "/" + S3MockServer.BUCKET + "/" + ticket.attachment().id() + "?"), ticket.url());
    assertTrue(ticket.url().contains("X-Amz-Signature="), "signed");
    assertEquals("PUT", ticket.method());
    assertNotNull(ticket.expiresAt());
    assertEquals("image/png", ticket.headers().get("content-type"));
  }
}
