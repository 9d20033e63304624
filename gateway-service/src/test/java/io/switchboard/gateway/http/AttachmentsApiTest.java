package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.support.ChatClient;
import io.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attachments end to end (docs/protocol.md, "Attachments") with the official Java client: a real
 * gateway, the real message-service on Postgres, the local store in a directory. Uploads through
 * the gateway with progress, attached by a send, read by members over HTTP, and the refusals.
 */
@DisplayName("Attachments through the gateway: create-upload, PUT /api/uploads, send-message attachments, GET /api/attachments")
class AttachmentsApiTest {
  private static final long MAX = 1024 * 1024;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir
  static Path dir;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.withMessageService(config -> config.with(ConfigKey.ATTACHMENTS_DIR, dir.toString())
        .with(ConfigKey.MAX_UPLOAD_BYTES, MAX).with(ConfigKey.UPLOAD_CONTENT_TYPES, "image/*,text/plain"));
  }

  @AfterAll
  static void close() {
    gateway.close();
  }

  /** A PNG of noise, so it does not compress: some hundred KB, several progress events. */
  static byte[] png(int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(7);
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        image.setRGB(x, y, random.nextInt(0xffffff));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static String room(ChatClient owner, String... members) {
    JsonObject ack = owner.request("create-room", new JsonObject().put("name", "team").put("kind", "group")
        .put("members", new JsonArray(java.util.List.of(members))));
    String roomId = ack.getJsonObject("room").getString("id");
    assertTrue(owner.request("join-room", new JsonObject().put("roomId", roomId)).getBoolean("ok"));
    return roomId;
  }

  private static JsonObject createUpload(ChatClient client, String roomId, String name, String type, long size) {
    return client.request("create-upload", new JsonObject().put("roomId", roomId).put("name", name)
        .put("contentType", type).put("size", size));
  }

  private static HttpResponse<String> put(JsonObject upload, byte[] bytes) throws Exception {
    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(gateway.url() + upload.getString("url")))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    upload.getJsonObject("headers").forEach(h -> put.header(h.getKey(), (String) h.getValue()));
    return HTTP.send(put.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> get(String path, String token) throws Exception {
    HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(gateway.url() + path));
    if (token != null) {
      get.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(get.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  @DisplayName("alice uploads a PNG (progress to her sockets), attaches it; bob sees it by id, then its descriptor; members download it and its thumbnail, others are refused")
  void uploadAttachDownload() throws Exception {
    ChatClient alice = gateway.connect("alice-u");
    ChatClient bob = gateway.connect("bob-u");
    String roomId = room(alice, "bob-u");
    assertTrue(bob.request("join-room", new JsonObject().put("roomId", roomId)).getBoolean("ok"));
    byte[] image = png(300, 200);
    JsonObject ack = createUpload(alice, roomId, "photo.png", "image/png", image.length);
    assertTrue(ack.getBoolean("ok"), ack.encode());
    String id = ack.getJsonObject("attachment").getString("id");
    assertEquals(new JsonObject().put("id", id).put("name", "photo.png").put("contentType", "image/png").put("size", image.length),
        ack.getJsonObject("attachment"));
    JsonObject upload = ack.getJsonObject("upload");
    assertEquals("PUT", upload.getString("method"));
    assertTrue(upload.getString("url").startsWith("/api/uploads/" + id + "?token="));

    HttpResponse<String> stored = put(upload, image);
    assertEquals(200, stored.statusCode(), stored.body());
    assertEquals(id, new JsonObject(stored.body()).getJsonObject("attachment").getString("id"));
    JsonObject progress;
    long last = 0;
    do {
      progress = alice.next(ClientEvents.UPLOAD_PROGRESS);
      assertEquals(id, progress.getString("attachmentId"));
      assertEquals(image.length, progress.getLong("total"));
      assertTrue(progress.getLong("received") > last, "progress only grows");
      last = progress.getLong("received");
    } while (last < image.length);
    assertEquals(0, bob.pending(ClientEvents.UPLOAD_PROGRESS), "the uploader's devices only");

    JsonObject sent = alice.request("send-message", new JsonObject().put("roomId", roomId)
        .put("clientMsgId", UUID.randomUUID().toString()).put("body", "look").put("attachments", new JsonArray().add(id)));
    assertTrue(sent.getBoolean("ok"), sent.encode());
    // In the contract's envelope: the message is its "new" row.
    JsonObject optimistic = bob.next(ClientEvents.MESSAGE_CREATED).getJsonObject("new");
    assertEquals(new JsonArray().add(new JsonObject().put("id", id)), optimistic.getJsonArray("attachments"));
    JsonObject descriptor = new JsonObject().put("id", id).put("name", "photo.png").put("contentType", "image/png")
        .put("size", image.length).put("width", 300).put("height", 200).put("thumbnail", true);
    assertEquals(new JsonArray().add(descriptor), bob.next(ClientEvents.MESSAGE_CONFIRMED).getJsonArray("attachments"));
    JsonObject history = bob.request("fetch-history", new JsonObject().put("roomId", roomId));
    assertEquals(new JsonArray().add(descriptor), history.getJsonArray("messages").getJsonObject(0).getJsonArray("attachments"));

    HttpResponse<byte[]> download = get("/api/attachments/" + id, gateway.token("bob-u"));
    assertEquals(200, download.statusCode());
    assertArrayEquals(image, download.body());
    assertEquals("image/png", download.headers().firstValue("Content-Type").orElse(null));
    assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElse(null));
    assertTrue(download.headers().firstValue("Content-Disposition").orElse("").startsWith("inline; filename=\"photo.png\""));
    HttpResponse<byte[]> thumbnail = get("/api/attachments/" + id + "/thumbnail", gateway.token("bob-u"));
    assertEquals(200, thumbnail.statusCode());
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
    assertEquals(256, small.getWidth());

    assertEquals(403, get("/api/attachments/" + id, gateway.token("carol-u")).statusCode(), "not a member");
    assertEquals(404, get("/api/attachments/" + id, gateway.token("alice-u", "globex")).statusCode(), "another tenant");
    assertEquals(401, get("/api/attachments/" + id, null).statusCode(), "no token");
    assertEquals(401, get("/api/attachments/" + id, "not-a-token").statusCode());
  }

  @Test
  @DisplayName("refused: a file too large, a type not accepted, more bytes than declared (413), a wrong token (403), another user's upload attached")
  void refusals() throws Exception {
    ChatClient alice = gateway.connect("alice-r");
    ChatClient bob = gateway.connect("bob-r");
    String roomId = room(alice, "bob-r");
    assertEquals("UPLOAD_TOO_LARGE", ChatClient.errorCode(createUpload(alice, roomId, "big.png", "image/png", MAX + 1)));
    assertEquals("UNSUPPORTED_TYPE", ChatClient.errorCode(createUpload(alice, roomId, "a.exe", "application/x-msdownload", 10)));
    assertEquals("VALIDATION_ERROR", ChatClient.errorCode(createUpload(alice, roomId, "../etc", "text/plain", 10)));
    assertEquals("FORBIDDEN", ChatClient.errorCode(createUpload(gateway.connect("carol-r"), roomId, "a.txt", "text/plain", 10)));

    JsonObject upload = createUpload(alice, roomId, "a.txt", "text/plain", 10).getJsonObject("upload");
    HttpResponse<String> tooMuch = put(upload, new byte[11]);
    assertEquals(413, tooMuch.statusCode());
    assertEquals("UPLOAD_TOO_LARGE", new JsonObject(tooMuch.body()).getJsonObject("error").getString("code"));
    JsonObject forged = upload.copy().put("url", upload.getString("url").replaceAll("token=.*", "token=forged"));
    assertEquals(403, put(forged, new byte[10]).statusCode());
    assertEquals(400, put(upload, new byte[9]).statusCode(), "fewer bytes than declared");

    assertTrue(bob.request("join-room", new JsonObject().put("roomId", roomId)).getBoolean("ok"));
    JsonObject bobs = createUpload(bob, roomId, "b.txt", "text/plain", 3);
    assertEquals(200, put(bobs.getJsonObject("upload"), "bob".getBytes()).statusCode());
    JsonObject stolen = alice.request("send-message", new JsonObject().put("roomId", roomId)
        .put("clientMsgId", UUID.randomUUID().toString()).put("body", "mine now")
        .put("attachments", new JsonArray().add(bobs.getJsonObject("attachment").getString("id"))));
    assertEquals("attachments", ChatClient.invalidField(stolen));
    JsonObject notAnId = alice.request("send-message", new JsonObject().put("roomId", roomId)
        .put("clientMsgId", UUID.randomUUID().toString()).put("body", "x").put("attachments", new JsonArray().add("nope")));
    assertEquals("VALIDATION_ERROR", ChatClient.errorCode(notAnId));
  }
}
