package io.switchboard.sdk.example;

import io.switchboard.sdk.Member;
import io.switchboard.sdk.NewRoom;
import io.switchboard.sdk.PostMessage;
import io.switchboard.sdk.PostedMessage;
import io.switchboard.sdk.Publish;
import io.switchboard.sdk.Room;
import io.switchboard.sdk.SwitchboardClient;
import io.switchboard.sdk.SwitchboardException;
import io.switchboard.sdk.Target;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The example service of sdk/README.md: opens a room for a team, welcomes them in it as the system,
 * and tells each of them on every device they have connected.
 *
 * <pre>SERVICE_TOKEN=... java -jar sdk/target/switchboard-sdk-example.jar [owner [member...]]</pre>
 *
 * <p>{@code SWITCHBOARD_URL} (default {@code http://localhost:3000}) and {@code TENANT} (default
 * {@code default}, the tenant of dev-mode tokens) say where.
 */
public final class WelcomeBot {
  private WelcomeBot() {}

  public static void main(String[] args) {
    String url = env("SWITCHBOARD_URL", "http://localhost:3000");
    String tenant = env("TENANT", "default");
    String token = env("SERVICE_TOKEN", "");
    List<String> team = args.length > 0 ? Arrays.asList(args) : List.of("alice", "bob");
    if (token.isEmpty()) {
      System.err.println("Set SERVICE_TOKEN to the gateway's service token (see sdk/README.md).");
      System.exit(2);
    }
    try (SwitchboardClient switchboard = SwitchboardClient.http(url, token).build()) {
      welcome(switchboard, tenant, team, System.out);
      System.out.println("Open " + url + "/ as " + team.get(0) + " to see it.");
    } catch (CompletionException e) {
      if (e.getCause() instanceof SwitchboardException refused) {
        System.err.println("Switchboard refused: " + refused.getMessage());
        System.exit(1);
      }
      throw e;
    }
  }

  /** Opens the team's room (the first of them owns it), welcomes them in it, and tells them; returns the room. */
  public static Room welcome(SwitchboardClient switchboard, String tenant, List<String> team, PrintStream out) {
    String owner = team.get(0);
    Room room = switchboard.rooms(tenant).as(owner)
        .create(NewRoom.group("Welcome, " + String.join(" & ", team), team.subList(1, team.size()))).join();
    out.println("Created room " + room.id() + " \"" + room.name() + "\" owned by " + room.createdBy());

    PostedMessage welcome = switchboard.post(PostMessage.system(tenant, room.id(),
        "Welcome, " + String.join(", ", team) + "! This room was opened by a service.")).join();
    out.println("Posted the welcome message " + welcome.id() + " (seq " + welcome.seq() + ")");

    for (String user : team) {
      switchboard.publish(new Publish(Target.user(tenant, user), "welcome", Map.of("roomId", room.id()))).join();
    }
    out.println("Told " + team + " on their connected devices (event \"welcome\")");

    for (Member member : switchboard.rooms(tenant).members(room.id()).join()) {
      out.println("  " + member.userId() + " (" + member.role().wire() + ")");
    }
    return room;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
