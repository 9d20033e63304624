// Mentions through the client library, against the running gateway (docs/protocol.md, "Mentions").
import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient, mentionsUser, type ServerEvents } from "../../src/lib";
import { connected, unique } from "../support/gateway";

const clients: SwitchboardClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function user(name: string): Promise<SwitchboardClient> {
  const client = await connected(unique(name));
  clients.push(client);
  return client;
}

describe("Mentions, against the running gateway", () => {
  it("@member and @room reach the message, its confirmation, the unread summary and list-mentions; a non-member is plain text", async () => {
    const [alice, bob, carol] = [await user("alice"), await user("bob"), await user("carol")];
    const outsider = unique("dave");
    const { room } = await alice.request("create-room", { name: unique("team"), kind: "group", members: [bob.userId!] });
    await alice.joinRoom(room.id);
    const confirmations: ServerEvents["room-message-confirmed"][] = [];
    bob.on("room-message-confirmed", (e) => confirmations.push(e));
    await bob.joinRoom(room.id);

    const sent = await alice.sendMessage(room.id, `@${bob.userId} and @${outsider}: lunch?`).result;
    await alice.sendMessage(room.id, "@room standup").result;
    await expect.poll(() => confirmations.length, { timeout: 10_000 }).toBe(2);
    expect(confirmations[0].mentions).toEqual({ users: [bob.userId] });
    expect(confirmations[1].mentions).toEqual({ users: [], room: true });

    const { messages } = await bob.fetchHistory({ roomId: room.id });
    expect(messages.map((m) => mentionsUser(m, bob.userId!))).toEqual([true, true]);
    expect(messages.map((m) => mentionsUser(m, alice.userId!))).toEqual([false, false]);

    const { rooms } = await bob.request("list-rooms", {});
    expect(rooms.find((r) => r.id === room.id)).toMatchObject({ unread: 2, unreadMentions: 2 });
    const first = await bob.listMentions({ limit: 1 });
    expect(first.mentions.map((m) => [m.message.body, m.unread])).toEqual([["@room standup", true]]);
    const second = await bob.listMentions({ after: first.next });
    expect(second.mentions.map((m) => m.message.id)).toEqual([sent.id]);
    expect(second.next).toBeUndefined();

    await bob.request("mark-read", { roomId: room.id, seq: 2 });
    const after = await bob.request("join-room", { roomId: room.id });
    expect(after.unreadMentions).toBe(0);
    expect((await carol.listMentions()).mentions).toEqual([]);
    await expect(carol.listMentions({ roomId: room.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a notification policy is set and read per user and room, and a bad one refused with its field", async () => {
    const [alice, bob] = [await user("alice"), await user("bob")];
    const { room } = await alice.request("create-room", { name: unique("team"), kind: "group", members: [bob.userId!] });
    expect(await bob.notificationPolicy()).toEqual({ level: "all", effective: { level: "all" } });
    await bob.setNotificationPolicy({ level: "mentions" });
    const until = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
    const muted = await bob.setNotificationPolicy({ roomId: room.id, mutedUntil: until });
    expect(muted).toEqual({ roomId: room.id, level: null, mutedUntil: until, effective: { level: "mentions", mutedUntil: until } });
    const none = await bob.setNotificationPolicy({ roomId: room.id, level: "none", mutedUntil: null });
    expect(none).toEqual({ roomId: room.id, level: "none", effective: { level: "none" } });
    await expect(bob.setNotificationPolicy({ level: null })).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
    await expect(bob.setNotificationPolicy({ roomId: room.id, mutedUntil: "soon" }))
      .rejects.toMatchObject({ code: "VALIDATION_ERROR", details: [{ field: "mutedUntil" }] });
    await expect(bob.request("set-notification-policy", {})).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
  });
});
