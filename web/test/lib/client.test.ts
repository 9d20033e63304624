import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient, SwitchboardError, type ChatMessage, type OutgoingMessage } from "../../src/lib";
import { connected, devToken, dropConnection, next, unique, URL } from "../support/gateway";

const clients: SwitchboardClient[] = [];
async function user(name: string) {
  const c = await connected(unique(name));
  clients.push(c);
  return c;
}
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function sharedRoom(owner: SwitchboardClient, ...others: SwitchboardClient[]) {
  const { room } = await owner.request("create-room", { name: unique("room"), kind: "public" });
  await owner.joinRoom(room.id);
  for (const o of others) await o.joinRoom(room.id);
  return room.id;
}

describe("SwitchboardClient against the running gateway", () => {
  it("connects with a token and returns typed acks; a refused request rejects with the contract's code and details", async () => {
    const alice = await user("alice");
    const roomId = await sharedRoom(alice);
    const sent = await alice.request("send-message", { roomId, clientMsgId: crypto.randomUUID(), body: "hello" });
    expect(sent.seq).toBe(1);
    const refused = await alice.request("send-message", { roomId, clientMsgId: "not-a-uuid", body: " " }).catch((e) => e);
    expect(refused).toBeInstanceOf(SwitchboardError);
    expect(refused.code).toBe("VALIDATION_ERROR");
    expect(refused.details.length).toBeGreaterThan(0);
    expect(refused.retryable).toBe(false);
  });

  it("a bad token is refused at connect with AUTH_FAILED", async () => {
    const client = new SwitchboardClient({ url: URL, token: "not.a.token", transports: ["websocket"] });
    const refused = await client.connect().catch((e) => e);
    client.close();
    expect(refused).toBeInstanceOf(SwitchboardError);
    expect(refused.code).toBe("AUTH_FAILED");
  });

  it("sendMessage is pending at once, then confirmed with its seq; the others get it created then confirmed", async () => {
    const [alice, bob] = [await user("alice"), await user("bob")];
    const roomId = await sharedRoom(alice, bob);
    const states: OutgoingMessage["state"][] = [];
    alice.onClient("outgoing", (m) => states.push(m.state));
    const confirmed = new Promise<{ tempId: string; seq: number }>((resolve) => bob.on("room-message-confirmed", resolve));
    const created = new Promise<string>((resolve) => bob.on("room-message-created", (e) => resolve(e.new.body)));

    const { message, result } = alice.sendMessage(roomId, "first");
    expect(message.state).toBe("pending");
    const ack = await result;
    expect(ack.seq).toBe(1);
    expect(states[0]).toBe("pending");
    expect(states[states.length - 1]).toBe("confirmed");
    expect(await created).toBe("first");
    expect(await confirmed).toMatchObject({ tempId: message.clientMsgId, seq: 1 });
  });

  it("with receive: durable, the others' messages arrive once, stored with their seq, without an optimistic copy or a confirmation", async () => {
    const alice = await user("alice");
    const bob = new SwitchboardClient({ url: URL, token: () => devToken(unique("bob")), transports: ["websocket"], receive: "durable" });
    clients.push(bob);
    await bob.connect();
    const roomId = await sharedRoom(alice, bob);
    const seen: string[] = [];
    bob.on("room-message-created", (e) => seen.push(`created ${e.new.optimistic} ${"seq" in e.new ? e.new.seq : "-"} ${e.new.body}`));
    bob.on("room-message-confirmed", (e) => seen.push(`confirmed ${e.seq}`));
    for (const body of ["one", "two"]) {
      const arrived = new Promise((resolve) => bob.on("room-message-created", (e) => e.new.body === body && resolve(e)));
      await alice.sendMessage(roomId, body).result;
      await arrived;
    }
    expect(seen).toEqual(["created false 1 one", "created false 2 two"]);
  });

  it("sending the same clientMsgId again stores nothing new: the ack repeats the id and seq as a duplicate", async () => {
    const alice = await user("alice");
    const roomId = await sharedRoom(alice);
    const first = alice.sendMessage(roomId, "once");
    const ack = await first.result;
    const again = await alice.sendMessage(roomId, "once", { clientMsgId: first.message.clientMsgId }).result;
    expect(again).toMatchObject({ id: ack.id, seq: ack.seq, duplicate: true });
    const page = await alice.fetchHistory({ roomId });
    expect(page.messages.map((m) => m.body)).toEqual(["once"]);
  });

  it("after a drop the server cannot recover, every room is rejoined with sinceSeq and each message sent meanwhile is handed over once, in seq order, paging past the recovery limit", async () => {
    const [alice, bob] = [await user("alice"), await user("bob")];
    const roomId = await sharedRoom(alice, bob);
    const seen = new Promise((resolve) => bob.on("room-message-confirmed", resolve));
    await alice.sendMessage(roomId, "before").result;
    await seen;
    const link = dropConnection(bob);
    for (let i = 1; i <= 5; i++) await alice.sendMessage(roomId, `while away ${i}`).result;
    const caughtUp = next(bob, "catch-up", (c) => c.roomId === roomId);
    link.restore({ recoverable: false });
    const { messages, reconnect } = await caughtUp;
    expect(reconnect).toBe(true);
    expect(messages.map((m: ChatMessage) => m.body)).toEqual([1, 2, 3, 4, 5].map((i) => `while away ${i}`));
    expect(messages.map((m: ChatMessage) => m.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(bob.rooms.watermarks.get(roomId)).toBe(6);
  });

  it("after a drop the server recovers, what it replays and what the catch-up brings cover each message sent meanwhile once", async () => {
    const [alice, bob] = [await user("alice"), await user("bob")];
    const roomId = await sharedRoom(alice, bob);
    const link = dropConnection(bob);
    for (let i = 1; i <= 4; i++) await alice.sendMessage(roomId, `while away ${i}`).result;
    const seqs: number[] = [];
    bob.on("room-message-confirmed", (p) => seqs.push(p.seq));
    bob.onClient("catch-up", (c) => seqs.push(...c.messages.map((m) => m.seq)));
    const ready = next(bob, "state", (s) => s.state === "connected");
    link.restore();
    await ready;
    // The library asks for recovery (auth recover: true); without it the server would not hold the session.
    expect(bob.socket.recovered).toBe(true);
    expect(seqs.sort()).toEqual([1, 2, 3, 4]);
  });

  it("a message sent while the connection is down stays pending and goes out once after the reconnect", async () => {
    const [alice, bob] = [await user("alice"), await user("bob")];
    const roomId = await sharedRoom(alice, bob);
    const link = dropConnection(bob);
    const { message, result } = bob.sendMessage(roomId, "sent offline");
    expect(message.state).toBe("pending");
    link.restore();
    const ack = await result;
    const page = await alice.fetchHistory({ roomId });
    expect(page.messages.filter((m) => m.body === "sent offline")).toHaveLength(1);
    expect(page.messages.find((m) => m.body === "sent offline")!.seq).toBe(ack.seq);
  });

  it("a refused send fails at once without retries; retry() sends it again with the same clientMsgId", async () => {
    const alice = await user("alice");
    const { room } = await alice.request("create-room", { name: unique("later"), kind: "public" });
    const { message, result } = alice.sendMessage(room.id, "too early");
    const refused = await result.catch((e) => e);
    expect(refused.code).toBe("FORBIDDEN");
    expect(message.attempts).toBe(1);
    await alice.joinRoom(room.id);
    const ack = await alice.retry(message.clientMsgId);
    expect(ack.seq).toBe(1);
    const page = await alice.fetchHistory({ roomId: room.id });
    expect(page.messages.map((m) => m.body)).toEqual(["too early"]);
  });

  it("fetchHistory pages backwards with beforeSeq", async () => {
    const alice = await user("alice");
    const roomId = await sharedRoom(alice);
    for (let i = 1; i <= 5; i++) await alice.sendMessage(roomId, `m${i}`).result;
    const latest = await alice.fetchHistory({ roomId, limit: 2 });
    expect(latest.messages.map((m) => m.seq)).toEqual([4, 5]);
    expect(latest.hasMore).toBe(true);
    const older = await alice.fetchHistory({ roomId, beforeSeq: 4, limit: 3 });
    expect(older.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(older.hasMore).toBe(false);
  });

  it("refresh-token extends the session with a fresh token of the same user; another user's token is FORBIDDEN", async () => {
    const alice = await user("alice");
    const ack = await alice.request("refresh-token", { token: await devToken(alice.userId!) });
    expect(ack.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3600);
    const refreshed = new Promise((resolve) => alice.onClient("token-refreshed", resolve));
    expect(await alice.refreshToken()).toBeGreaterThan(Date.now() / 1000 + 3600);
    await refreshed;
    const other = await devToken(unique("mallory"));
    const refused = await alice.request("refresh-token", { token: other }).catch((e) => e);
    expect(refused.code).toBe("FORBIDDEN");
  });

  it("list-rooms lists the user's rooms with unread counts, then the tenant's public rooms not joined", async () => {
    const [alice, bob] = [await user("alice"), await user("bob")];
    const { room: open } = await alice.request("create-room", { name: unique("open"), kind: "public" });
    const { room: team } = await alice.request("create-room", { name: unique("team"), kind: "group", members: [bob.userId!] });
    await alice.joinRoom(team.id);
    await alice.sendMessage(team.id, "unread for bob").result;
    const { rooms } = await bob.request("list-rooms", {});
    expect(rooms.find((r) => r.id === team.id)).toMatchObject({ member: true, unread: 1, lastSeq: 1 });
    expect(rooms.find((r) => r.id === open.id)).toMatchObject({ member: false, kind: "public" });
  });
});
