package io.switchboard.message;

import static io.switchboard.message.BusRequests.ask;
import static io.switchboard.message.BusRequests.await;
import static io.switchboard.message.BusRequests.codeOf;
import static io.switchboard.message.BusRequests.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.Addresses;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Attachment;
import io.switchboard.common.chat.AttachmentAccess;
import io.switchboard.common.chat.AttachmentGrant;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.UploadRequest;
import io.switchboard.common.chat.UploadTicket;
import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.message.attachments.AttachmentStore;
import io.switchboard.message.attachments.OrphanUploadsJob;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Attachments (docs/protocol.md, "Attachments") in message-service on a real Postgres, on the event
 * bus as the gateways ask, the same for every store: uploads checked, attached, completed (an
 * image's dimensions and thumbnail), read by members only. A subclass gives the store and says how
 * a client puts and gets the bytes with it.
 */
abstract class AttachmentsContract {
  static final long MAX_BYTES = 2 * 1024 * 1024;
  static final String TYPES = "image/*,application/pdf,text/plain";
  private static ServiceFixture fixture;
  static Vertx vertx;
  static MessageServiceConfig service;

  /** Deploys message-service with the store these settings name. */
  static void deploy(java.util.function.UnaryOperator<Config> store) throws Exception {
    vertx = Vertx.vertx();
    fixture = ServiceFixture.deploy(vertx, config -> store.apply(config.with(ConfigKey.MAX_UPLOAD_BYTES, MAX_BYTES)
        .with(ConfigKey.UPLOAD_CONTENT_TYPES, TYPES)), 1);
    service = fixture.service;
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  /** Puts an upload's bytes where its ticket says, as a client (or the gateway) would. */
  abstract void put(UploadTicket ticket, byte[] bytes) throws Exception;

  /** The bytes a grant gives access to. */
  abstract byte[] get(AttachmentGrant grant) throws Exception;

  static Sender user(String name) {
    return ServiceFixture.user(name);
  }

  static Room room(Sender owner, Sender... members) throws Exception {
    return fixture.room(owner, members);
  }

  static UploadTicket create(Sender user, Room room, String name, String type, long size) throws Exception {
    return ask(vertx, Addresses.ATTACHMENT_CREATE, new UploadRequest(user, room.id(), name, type, size));
  }

  UploadTicket upload(Sender user, Room room, String name, String type, byte[] bytes) throws Exception {
    UploadTicket ticket = create(user, room, name, type, bytes.length);
    put(ticket, bytes);
    return ticket;
  }

  static PersistRequest message(Room room, Sender sender, String body, String... attachmentIds) {
    return new PersistRequest(sender, room.id(), UUID.randomUUID().toString(), body, null, null, "socket-1", "t",
        java.util.Arrays.stream(attachmentIds).map(Attachment::ref).toList());
  }

  static AttachmentAccess read(Sender reader, String id, AttachmentAccess.Kind kind) {
    return new AttachmentAccess(kind, id, reader.tenant(), reader.userId(), null);
  }

  static byte[] png(int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        image.setRGB(x, y, new Color(x % 256, y % 256, 128).getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static String refusal(Object request, String address) throws Exception {
    return codeOf(vertx, address, request);
  }

  static String field(Throwable refused) {
    return ServiceException.extraOf(refused).getJsonArray("details").getJsonObject(0).getString("field");
  }

  @Test
  @DisplayName("an image uploaded and attached: its dimensions and thumbnail in the message, its confirmation, history; members read it and its thumbnail")
  void imageAttached() throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room room = room(alice, bob);
    byte[] image = png(640, 480);
    UploadTicket ticket = upload(alice, room, "sunset.png", "image/png", image);
    assertEquals("sunset.png", ticket.attachment().name());
    assertEquals("image/png", ticket.attachment().contentType());
    assertEquals(image.length, ticket.attachment().size());
    String id = ticket.attachment().id();
    assertEquals("FORBIDDEN", refusal(read(bob, id, AttachmentAccess.Kind.DOWNLOAD), Addresses.ATTACHMENT_ACCESS),
        "an upload attached to no message is its uploader's alone");

    ChatMessage sent = ((PersistResult) ask(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "look", id))).message();
    Attachment attached = sent.attachments().get(0);
    assertEquals(new Attachment(id, "sunset.png", "image/png", image.length, 640, 480, true), attached);
    RoomEvent confirmed = next(e -> ClientEvents.MESSAGE_CONFIRMED.equals(e.event())
        && ((JsonObject) e.data()).getString("id").equals(sent.id()));
    assertEquals(id, ((JsonObject) confirmed.data()).getJsonArray("attachments").getJsonObject(0).getString("id"));
    assertEquals(640, ((JsonObject) confirmed.data()).getJsonArray("attachments").getJsonObject(0).getInteger("width"));

    HistoryPage history = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(bob, room.id(), null, null, 10));
    assertEquals(List.of(attached), history.messages().get(0).attachments(), "history carries the descriptors");

    AttachmentGrant download = ask(vertx, Addresses.ATTACHMENT_ACCESS, read(bob, id, AttachmentAccess.Kind.DOWNLOAD));
    assertEquals("image/png", download.contentType());
    assertArrayEquals(image, get(download), "a member reads the bytes uploaded");
    AttachmentGrant thumb = ask(vertx, Addresses.ATTACHMENT_ACCESS, read(bob, id, AttachmentAccess.Kind.THUMBNAIL));
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(get(thumb)));
    assertEquals(256, small.getWidth(), "a thumbnail of 256 pixels on its longer side");
    assertEquals(192, small.getHeight());

    // A second message may attach it again: its descriptor is the one completed once.
    ChatMessage again = ((PersistResult) ask(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "again", id))).message();
    assertEquals(List.of(attached), again.attachments());
  }

  @Test
  @DisplayName("a file that is no image is attached without dimensions or thumbnail; a deleted message keeps none")
  void document() throws Exception {
    Sender alice = user("alice");
    Room room = room(alice);
    byte[] text = "minutes of the meeting".getBytes();
    String id = upload(alice, room, "notes.txt", "text/plain; charset=utf-8", text).attachment().id();
    ChatMessage sent = ((PersistResult) ask(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "notes", id))).message();
    assertEquals(new Attachment(id, "notes.txt", "text/plain", text.length, null, null, false), sent.attachments().get(0));
    assertEquals("NOT_FOUND", refusal(read(alice, id, AttachmentAccess.Kind.THUMBNAIL), Addresses.ATTACHMENT_ACCESS));
    ask(vertx, Addresses.MESSAGE_DELETE, new io.switchboard.common.chat.MessageDelete(alice, room.id(), sent.id(), null));
    HistoryPage history = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(alice, room.id(), null, null, 10));
    assertTrue(history.messages().get(0).attachments().isEmpty(), "a deleted message shows no attachments");
  }

  @Test
  @DisplayName("reading an attachment: refused to a member of another room (FORBIDDEN) and to another tenant (NOT_FOUND)")
  void readersAreMembers() throws Exception {
    Sender alice = user("alice");
    Sender carol = user("carol");
    Room room = room(alice);
    String id = upload(alice, room, "a.pdf", "application/pdf", "%PDF-1.4 tiny".getBytes()).attachment().id();
    ask(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "the pdf", id));
    assertEquals("FORBIDDEN", refusal(read(carol, id, AttachmentAccess.Kind.DOWNLOAD), Addresses.ATTACHMENT_ACCESS));
    Sender stranger = new Sender("globex", alice.userId(), "alice");
    assertEquals("NOT_FOUND", refusal(read(stranger, id, AttachmentAccess.Kind.DOWNLOAD), Addresses.ATTACHMENT_ACCESS),
        "the same user id in another tenant sees no such attachment");
    assertEquals("NOT_FOUND", refusal(read(alice, UUID.randomUUID().toString(), AttachmentAccess.Kind.DOWNLOAD),
        Addresses.ATTACHMENT_ACCESS));
  }

  @Test
  @DisplayName("create-upload refuses a file too large (UPLOAD_TOO_LARGE), of a type not accepted (UNSUPPORTED_TYPE), in a room not yours")
  void uploadsChecked() throws Exception {
    Sender alice = user("alice");
    Sender carol = user("carol");
    Room room = room(alice);
    assertEquals("UPLOAD_TOO_LARGE", refusal(new UploadRequest(alice, room.id(), "big.png", "image/png", MAX_BYTES + 1),
        Addresses.ATTACHMENT_CREATE));
    assertEquals("UNSUPPORTED_TYPE", refusal(new UploadRequest(alice, room.id(), "run.sh", "application/x-sh", 10),
        Addresses.ATTACHMENT_CREATE));
    assertEquals("UNSUPPORTED_TYPE", refusal(new UploadRequest(alice, room.id(), "x", "not a type", 10),
        Addresses.ATTACHMENT_CREATE));
    assertEquals("FORBIDDEN", refusal(new UploadRequest(carol, room.id(), "a.png", "image/png", 10), Addresses.ATTACHMENT_CREATE));
    assertEquals("NOT_FOUND", refusal(new UploadRequest(new Sender("globex", alice.userId(), "a"), room.id(), "a.png",
        "image/png", 10), Addresses.ATTACHMENT_CREATE));
    assertNotNull(create(alice, room, "fits.png", "image/png", MAX_BYTES).url(), "the limit itself is accepted");
  }

  @Test
  @DisplayName("a send attaching another user's upload, another room's, one not uploaded or not whole is VALIDATION_ERROR on attachments, stored nowhere")
  void attachmentsChecked() throws Exception {
    Sender alice = user("alice");
    Sender bob = user("bob");
    Room room = room(alice, bob);
    Room other = room(alice);
    String bobs = upload(bob, room, "b.txt", "text/plain", "bob's".getBytes()).attachment().id();
    String elsewhere = upload(alice, other, "o.txt", "text/plain", "other".getBytes()).attachment().id();
    String missing = create(alice, room, "m.txt", "text/plain", 5).attachment().id();
    UploadTicket shortTicket = create(alice, room, "s.txt", "text/plain", 100);
    put(shortTicket, "only some".getBytes());
    for (String id : List.of(bobs, elsewhere, missing, shortTicket.attachment().id(), UUID.randomUUID().toString())) {
      Throwable refused = failure(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "see", id));
      assertEquals("VALIDATION_ERROR", ServiceException.codeOf(refused).name(), id);
      assertEquals("attachments", field(refused));
    }
    String good = upload(alice, room, "g.txt", "text/plain", "good".getBytes()).attachment().id();
    Throwable twice = failure(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "twice", good, good));
    assertEquals("attachments", field(twice));
    HistoryPage history = ask(vertx, Addresses.MESSAGE_HISTORY, new HistoryRequest(alice, room.id(), null, null, 10));
    assertTrue(history.messages().isEmpty(), "nothing stored");
    assertFalse(((PersistResult) ask(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "fine", good))).message()
        .attachments().isEmpty());
  }

  @Test
  @DisplayName("uploads never attached within UPLOAD_ORPHAN_HOURS are deleted, row and bytes, once whatever number of jobs run; attached and recent ones stay; a send attaching a deleted one is refused")
  void orphanUploadsDeleted() throws Exception {
    Sender alice = user("alice");
    Room room = room(alice);
    String orphan = upload(alice, room, "o.txt", "text/plain", "never sent".getBytes()).attachment().id();
    String empty = create(alice, room, "e.txt", "text/plain", 5).attachment().id();
    String attached = upload(alice, room, "a.txt", "text/plain", "sent".getBytes()).attachment().id();
    ask(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "here", attached));
    String recent = upload(alice, room, "r.txt", "text/plain", "just now".getBytes()).attachment().id();
    Pool db = PgBuilder.pool().connectingTo(service.postgres()).using(vertx).build();
    AttachmentStore store = service.attachments().open();
    try {
      await(db.preparedQuery("UPDATE attachments SET created_at = now() - interval '25 hours' WHERE id = ANY($1)")
          .execute(Tuple.of(java.util.stream.Stream.of(orphan, empty, attached).map(UUID::fromString).toArray(UUID[]::new))));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      // Two instances at once, a batch of one upload each: the lock lets one pass do it all.
      List<Long> passes = await(Future.all(new OrphanUploadsJob(vertx, db, store, 24, 1, meters).run(),
          new OrphanUploadsJob(vertx, db, store, 24, 1, meters).run())).list();
      assertEquals(2L, passes.get(0) + passes.get(1), "the old orphan and the old upload that never came: " + passes);
      assertEquals(2.0, meters.get("switchboard.attachments.orphans.deleted").counter().count());

      for (String gone : List.of(orphan, empty)) {
        assertEquals("NOT_FOUND", refusal(read(alice, gone, AttachmentAccess.Kind.DOWNLOAD), Addresses.ATTACHMENT_ACCESS));
        assertNull(store.stat(gone), "its bytes are gone from the store too");
      }
      AttachmentGrant kept = ask(vertx, Addresses.ATTACHMENT_ACCESS, read(alice, attached, AttachmentAccess.Kind.DOWNLOAD));
      assertArrayEquals("sent".getBytes(), get(kept), "attached: kept, however old");
      AttachmentGrant fresh = ask(vertx, Addresses.ATTACHMENT_ACCESS, read(alice, recent, AttachmentAccess.Kind.DOWNLOAD));
      assertArrayEquals("just now".getBytes(), get(fresh), "within its hours: kept");
      Throwable refused = failure(vertx, Addresses.MESSAGE_PERSIST, message(room, alice, "late", orphan));
      assertEquals("attachments", field(refused));

      assertEquals(0L, await(new OrphanUploadsJob(vertx, db, store, 24, 1, meters).run()), "nothing left to delete");
      await(db.preparedQuery("UPDATE attachments SET created_at = now() - interval '25 hours' WHERE id = $1")
          .execute(Tuple.of(UUID.fromString(recent))));
      assertEquals(0L, await(new OrphanUploadsJob(vertx, db, store, 0, 1, meters).run()), "0 hours: kept for ever");
      assertEquals(1L, await(new OrphanUploadsJob(vertx, db, store, 24, OrphanUploadsJob.BATCH, meters).run()));
      assertNull(store.stat(recent));
    } finally {
      await(db.close());
      if (store instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  static RoomEvent next(java.util.function.Predicate<RoomEvent> wanted) throws InterruptedException {
    return fixture.next(wanted);
  }

  static void assertNoRedirect(AttachmentGrant grant) {
    assertNull(grant.redirect());
  }
}
