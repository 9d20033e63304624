package io.switchboard.common.fanout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.common.bus.Json;
import io.switchboard.common.bus.RecordCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The event-bus codec of {@link RoomEvent}: the same JSON on the wire as {@link RecordCodec}, under
 * its name, so members of either version read each other, but without a tree of the event's data.
 * Every gateway node receives every room event, and all it does with the data is write it into one
 * Socket.IO packet; so the data is kept as its JSON text ({@link RawValue}), which Jackson writes as it
 * is, instead of being parsed into maps here and serialized again there. Data that is raw already
 * is written as it is.
 */
public final class RoomEventCodec implements MessageCodec<RoomEvent, RoomEvent> {
  private static final String ROOM = "room";
  private static final String EVENT = "event";
  private static final String DATA = "data";
  private static final String EXCEPT = "exceptSocketId";
  private static final String SENT_AT = "sentAt";
  private static final String MORE_ROOMS = "moreRooms";
  private static final String SEQ = "seq";
  private static final String EXCEPT_ROOM = "exceptRoom";
  private static final String FROM = "from";
  private static final String NAME = new RecordCodec<>(RoomEvent.class).name();

  @Override
  public void encodeToWire(Buffer buffer, RoomEvent value) {
    int lengthAt = buffer.length();
    buffer.appendInt(0);
    try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(appending(buffer))) {
      gen.writeStartObject();
      gen.writeStringField(ROOM, value.room());
      gen.writeStringField(EVENT, value.event());
      gen.writeFieldName(DATA);
      gen.writeObject(value.data());
      gen.writeStringField(EXCEPT, value.exceptSocketId());
      gen.writeNumberField(SENT_AT, value.sentAt());
      gen.writeArrayFieldStart(MORE_ROOMS);
      for (String room : value.moreRooms()) {
        gen.writeString(room);
      }
      gen.writeEndArray();
      gen.writeNumberField(SEQ, value.seq());
      if (value.exceptRoom() != null) {
        gen.writeStringField(EXCEPT_ROOM, value.exceptRoom());
      }
      if (value.from() != null) {
        gen.writeStringField(FROM, value.from());
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.setInt(lengthAt, buffer.length() - lengthAt - 4);
  }

  @Override
  public RoomEvent decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    byte[] json = buffer.getBytes(pos + 4, pos + 4 + length);
    String room = null;
    String event = null;
    Object data = null;
    String except = null;
    long sentAt = 0;
    List<String> moreRooms = List.of();
    long seq = 0;
    String exceptRoom = null;
    String from = null;
    try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
      expect(p.nextToken() == JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken token = p.nextToken();
        switch (field) {
          case ROOM -> room = p.getValueAsString();
          case EVENT -> event = p.getValueAsString();
          case EXCEPT -> except = p.getValueAsString();
          case SENT_AT -> sentAt = p.getValueAsLong();
          case SEQ -> seq = p.getValueAsLong();
          case EXCEPT_ROOM -> exceptRoom = p.getValueAsString();
          case FROM -> from = p.getValueAsString();
          case MORE_ROOMS -> moreRooms = strings(p, token);
          case DATA -> data = token == JsonToken.VALUE_NULL ? null : raw(p, json);
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RoomEvent(room, event, data, except, sentAt, moreRooms, seq, exceptRoom, from);
  }

  /** The JSON text of the value at the parser's current token, which is consumed. */
  private static RawValue raw(JsonParser p, byte[] json) throws IOException {
    int start = (int) p.currentTokenLocation().getByteOffset();
    // A scalar is read lazily; an object or array is skipped to its end.
    p.finishToken();
    p.skipChildren();
    int end = (int) p.currentLocation().getByteOffset();
    return new RawValue(new String(json, start, end - start, StandardCharsets.UTF_8));
  }

  private static List<String> strings(JsonParser p, JsonToken token) throws IOException {
    if (token != JsonToken.START_ARRAY) {
      p.skipChildren();
      return List.of();
    }
    List<String> values = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      values.add(p.getValueAsString());
    }
    return values;
  }

  private static void expect(boolean condition) throws IOException {
    if (!condition) {
      throw new IOException("a room event is a JSON object");
    }
  }

  private static OutputStream appending(Buffer buffer) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        buffer.appendByte((byte) b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        buffer.appendBytes(bytes, offset, length);
      }
    };
  }

  @Override
  public RoomEvent transform(RoomEvent value) {
    return value;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
