package io.switchboard.gateway.chat;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.chat.Sender;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.fanout.Fanout;
import io.switchboard.gateway.presence.PresenceReporter;
import io.switchboard.socketio.ConnectRefusedException;
import io.switchboard.socketio.Namespace;
import io.switchboard.socketio.Socket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat namespace {@code /}: authenticates CONNECT with the token of the auth payload, puts each
 * connection in its user's private room, and dispatches the client events to {@link ChatHandlers}.
 * A bad request is answered with its error and never closes the connection.
 */
public final class ChatNamespace {
  private static final Logger LOG = LoggerFactory.getLogger(ChatNamespace.class);

  @FunctionalInterface
  interface Handler {
    Future<JsonObject> handle(Connection connection, List<Object> args);
  }

  private final TokenVerifier tokens;
  private final PresenceReporter presence;
  private final Map<String, Handler> handlers;

  public ChatNamespace(TokenVerifier tokens, Fanout fanout, PresenceReporter presence,
      io.vertx.core.eventbus.EventBus bus, long requestTimeoutMs, int maxBodyChars, int recoveryMaxMessages) {
    this.tokens = tokens;
    this.presence = presence;
    ChatHandlers chat = new ChatHandlers(new ChatServices(bus, requestTimeoutMs), fanout, presence, maxBodyChars,
        recoveryMaxMessages);
    this.handlers = Map.of(
        "join-room", chat::joinRoom,
        "leave-room", chat::leaveRoom,
        "send-message", chat::sendMessage,
        "create-room", chat::createRoom,
        "typing", chat::typing,
        "get-presence", chat::getPresence);
  }

  public void install(Namespace namespace) {
    namespace.use(this::authenticate);
    namespace.use(socket -> presence.admit(socket.id(), socket.get(Connection.KEY)));
    namespace.onConnection(this::connected);
  }

  private Future<Void> authenticate(Socket socket) {
    return tokens.verify(socket.handshake().auth().getValue("token"))
        .recover(failure -> {
          ErrorCode code = ServiceException.codeOf(failure);
          LOG.info("connect refused: code={} address={}", code, socket.handshake().address());
          return Future.failedFuture(new ConnectRefusedException(failure.getMessage(),
              new JsonObject().put("code", code.name())));
        })
        .map(user -> {
          socket.set(Connection.KEY, user);
          return null;
        });
  }

  private void connected(Socket socket) {
    Sender user = socket.get(Connection.KEY);
    Connection connection = new Connection(socket, user);
    socket.join(ClientEvents.userRoom(user.tenant(), user.userId()));
    presence.connected(connection.id(), user);
    if (socket.recovered()) {
      // Connection state recovery restored the socket's rooms; presence forgot them at the disconnect.
      socket.rooms().stream().filter(room -> room.startsWith(ClientEvents.chatRoom("")))
          .forEach(room -> presence.joined(connection.id(), user, room.substring(ClientEvents.chatRoom("").length())));
    }
    handlers.forEach((event, handler) -> socket.on(event, (args, ack) -> dispatch(connection, event, handler, args, ack)));
    socket.onAny((event, args, ack) -> Replies.fail(socket, event, ack,
        ServiceException.of(ErrorCode.UNKNOWN_EVENT, "unknown event: " + event)));
    socket.onDisconnect(reason -> presence.disconnected(connection.id(), user));
  }

  private static void dispatch(Connection connection, String event, Handler handler, List<Object> args, Socket.Ack ack) {
    Future<JsonObject> result;
    try {
      result = handler.handle(connection, args);
    } catch (ServiceException refused) {
      result = Future.failedFuture(refused);
    } catch (RuntimeException bug) {
      LOG.error("event {} failed on connection {}", event, connection.id(), bug);
      result = Future.failedFuture(bug);
    }
    result.onComplete(
        reply -> {
          if (ack != null) {
            ack.send(reply);
          }
        },
        failure -> Replies.fail(connection.socket(), event, ack, failure));
  }
}
