package io.switchboard.gateway.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of the request edge: whatever JSON a client sends as the payload of any
 * request, decoding either yields the request's record or fails with VALIDATION_ERROR and details;
 * nothing else escapes.
 */
class RequestDecoderFuzzTest {
  private static final Function<List<Object>, Requests.SendMessage> SEND_BY_JACKSON =
      RequestDecoder.validated("send-message", Requests.SendMessage.class);

  @Property(tries = 2000)
  @Label("any payload of any request decodes to the request's record or fails with VALIDATION_ERROR and details")
  void anyPayload(@ForAll("requests") ClientRequest request, @ForAll("payloads") Object payload) {
    List<Object> args = new ArrayList<>();
    args.add(payload);
    try {
      Object decoded = Requests.byWire().get(request.wire()).payload().apply(args);
      assertEquals(Requests.class, decoded.getClass().getEnclosingClass());
      assertEquals(recordName(request), decoded.getClass().getSimpleName(), "each request's record is named after it");
    } catch (ServiceException e) {
      assertEquals(ErrorCode.VALIDATION_ERROR, e.code());
      assertEquals(false, e.extra().getJsonArray("details").isEmpty());
    }
  }

  @Property(tries = 1000)
  @Label("send-message mapped by hand gives the record Jackson's mapping gives, or the same VALIDATION_ERROR")
  void sendMessageByHand(@ForAll("sendMessages") Object payload) {
    List<Object> args = new ArrayList<>();
    args.add(payload);
    Object byJackson;
    try {
      byJackson = SEND_BY_JACKSON.apply(args);
    } catch (ServiceException e) {
      byJackson = e.code();
    }
    Object byHand;
    try {
      byHand = Requests.byWire().get("send-message").payload().apply(args);
    } catch (ServiceException e) {
      byHand = e.code();
    }
    assertEquals(byJackson, byHand);
  }

  @Property(tries = 1000)
  @Label("the tree validated is the one Jackson would build from the payload")
  void treeMatchesJackson(@ForAll("payloads") Object payload) {
    Object plain = payload instanceof JsonObject o ? o.getMap() : payload instanceof JsonArray a ? a.getList() : payload;
    assertEquals(io.switchboard.common.bus.Json.MAPPER.valueToTree(plain), RequestDecoder.tree(payload));
  }

  /** {@code JOIN_ROOM}: {@code JoinRoom}. */
  private static String recordName(ClientRequest request) {
    StringBuilder name = new StringBuilder();
    for (String word : request.name().split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase());
    }
    return name.toString();
  }

  /** send-message payloads: valid ones, and ones with one field replaced by any JSON value. */
  @Provide
  Arbitrary<Object> sendMessages() {
    Arbitrary<Object> uuid = Arbitraries.create(() -> (Object) java.util.UUID.randomUUID().toString());
    Arbitrary<Object> meta = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8),
            Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).map(v -> (Object) v), Arbitraries.longs().map(v -> (Object) v),
                Arbitraries.just(null)))
        .ofMaxSize(40).map(m -> (Object) new JsonObject(new java.util.LinkedHashMap<>(m)));
    Arbitrary<Object> wrong = payloads();
    return net.jqwik.api.Combinators.combine(
            Arbitraries.strings().withChars("abcXYZ019:_-").ofMinLength(1).ofMaxLength(128).map(v -> (Object) v),
            uuid, Arbitraries.strings().ofMaxLength(50).map(v -> (Object) v),
            Arbitraries.oneOf(uuid, Arbitraries.just(null)), Arbitraries.oneOf(meta, Arbitraries.just(null)),
            Arbitraries.of("roomId", "clientMsgId", "body", "replyTo", "meta", "none"), wrong)
        .as((roomId, clientMsgId, body, replyTo, m, spoiled, value) -> {
          JsonObject json = new JsonObject().put("roomId", roomId).put("clientMsgId", clientMsgId).put("body", body)
              .put("replyTo", replyTo).put("meta", m);
          return spoiled.equals("none") ? json : json.put(spoiled, value);
        });
  }

  @Provide
  Arbitrary<ClientRequest> requests() {
    return Arbitraries.of(ClientRequest.class);
  }

  /** JSON values, biased toward objects with the contract's field names and wrong or extreme values. */
  @Provide
  Arbitrary<Object> payloads() {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300).map(s -> (Object) s),
        Arbitraries.strings().withChars("abcXYZ019:_-").ofMinLength(1).ofMaxLength(140).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null),
        Arbitraries.of("00000000-0000-0000-0000-000000000000", "not-a-uuid", "").map(s -> (Object) s));
    Arbitrary<String> keys = Arbitraries.of("roomId", "clientMsgId", "body", "replyTo", "meta", "sinceSeq", "beforeSeq",
        "afterSeq", "limit", "seq", "id", "name", "kind", "members", "delivery", "isTyping", "x");
    Arbitrary<Object> array = scalar.list().ofMaxSize(5).map(l -> (Object) new JsonArray(l));
    Arbitrary<Object> object = Arbitraries.maps(keys, Arbitraries.oneOf(scalar, array)).ofMaxSize(8)
        .map(m -> (Object) new JsonObject(new java.util.LinkedHashMap<>(m)));
    Arbitrary<Object> nested = Arbitraries.maps(keys, object).ofMaxSize(3)
        .map(m -> (Object) new JsonObject(new java.util.LinkedHashMap<>(m)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, scalar), net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(6, object), net.jqwik.api.Tuple.of(2, nested));
  }
}
