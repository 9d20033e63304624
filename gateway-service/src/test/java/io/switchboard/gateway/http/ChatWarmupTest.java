package io.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.config.ConfigKey;
import io.switchboard.gateway.admission.ConnectAdmission;
import io.switchboard.gateway.support.TestGateway;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway's chat warm-up before it listens")
class ChatWarmupTest {

  @Test
  @DisplayName("sockets of the warm-up tenant join its rooms through the chat path, the missing rooms made first")
  void joinsThroughTheChatPath() {
    try (TestGateway gateway = TestGateway.start(c -> c.with(ConfigKey.WARMUP_CONNECTIONS, 30))) {
      // The stub's room list has no warm-up room: three are made, one per ten joins.
      for (int i = 0; i < 3; i++) {
        CreateRoomRequest create = gateway.messages.nextRequest(Addresses.ROOM_CREATE);
        assertEquals(ConnectAdmission.WARMUP_TENANT, create.creator().tenant());
        assertEquals(ChatWarmup.ROOM_NAME, create.name());
        assertEquals("public", create.kind());
      }
      assertEquals(0, gateway.messages.unread(Addresses.ROOM_CREATE));
      Set<String> users = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        JoinRequest join = gateway.messages.nextRequest(Addresses.ROOM_JOIN);
        assertEquals(ConnectAdmission.WARMUP_TENANT, join.user().tenant());
        users.add(join.user().userId());
      }
      assertEquals(30, users.size(), "each join by a socket of its own");
      assertEquals(0, gateway.messages.unread(Addresses.ROOM_JOIN));
    }
  }

  @Test
  @DisplayName("without warm-up connections it does nothing")
  void off() {
    try (TestGateway gateway = TestGateway.start()) {
      gateway.connect("alice").close();
      assertEquals(0, gateway.messages.unread(Addresses.ROOM_CREATE));
      assertTrue(gateway.messages.unread(Addresses.ROOM_LIST) == 0);
    }
  }
}
