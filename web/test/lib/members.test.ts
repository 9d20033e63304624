import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient, SwitchboardError, type ServerEventName, type ServerEvents } from "../../src/lib";
import { connected, unique } from "../support/gateway";

const clients: SwitchboardClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

/** A user, connected; `devices` clients of the same user id. */
async function user(name: string, devices = 1): Promise<SwitchboardClient[]> {
  const id = unique(name);
  const all: SwitchboardClient[] = [];
  for (let i = 0; i < devices; i++) all.push(await connected(id));
  clients.push(...all);
  return all;
}

/** The next server event of that name that matches, or a failure after the timeout. */
function next<E extends ServerEventName>(
  client: SwitchboardClient, event: E, match: (p: ServerEvents[E]) => boolean = () => true, timeoutMs = 10_000,
): Promise<ServerEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${event} within ${timeoutMs} ms`)); }, timeoutMs);
    const off = client.on(event, (p) => {
      if (!match(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

/** Everything a client receives of one room, as short lines, in arrival order. */
function record(client: SwitchboardClient, roomId: string): string[] {
  const seen: string[] = [];
  client.on("room-message-created", (e) => e.new.roomId === roomId && seen.push(`created ${e.new.body}`));
  client.on("room-message-confirmed", (e) => e.roomId === roomId && seen.push(`confirmed ${e.seq}`));
  client.on("room-member-added", (e) => e.roomId === roomId && seen.push(`added ${e.seq}`));
  client.on("room-member-removed", (e) => e.roomId === roomId && seen.push(`removed ${e.seq}`));
  return seen;
}

async function code(request: Promise<unknown>): Promise<string> {
  const e = await request.then(() => "no error", (err) => err);
  return e instanceof SwitchboardError ? e.code : String(e);
}

async function groupRoom(owner: SwitchboardClient): Promise<string> {
  const { room } = await owner.request("create-room", { name: unique("team"), kind: "group" });
  await owner.joinRoom(room.id);
  return room.id;
}

describe("Rooms people run: members and roles, against the running gateway", () => {
  it("the creator owns the room; an added user's devices hear it through their private room, join, and see the roles", async () => {
    const [[alice], [bobPhone, bobLaptop]] = [await user("alice"), await user("bob", 2)];
    const roomId = await groupRoom(alice);
    const toRoom = next(alice, "room-member-added");
    const toPhone = next(bobPhone, "room-member-added");
    const toLaptop = next(bobLaptop, "room-member-added");

    const ack = await alice.addMembers(roomId, [bobPhone.userId!]);

    expect(ack).toEqual({ added: [bobPhone.userId], seq: 1 });
    for (const event of [await toRoom, await toPhone, await toLaptop]) {
      expect(event).toMatchObject({ roomId, seq: 1, actorId: alice.userId, members: [{ userId: bobPhone.userId, role: "member" }] });
      expect(event.message).toMatchObject({ seq: 1, senderId: "system", meta: { event: "room-member-added" } });
    }
    const joined = await bobLaptop.joinRoom(roomId);
    expect(joined.unread).toBe(0);
    expect(await bobLaptop.listMembers(roomId)).toEqual([
      { userId: alice.userId, role: "owner" }, { userId: bobPhone.userId, role: "member" },
    ]);
  });

  it("a change takes the room's next seq: members see message, change, message in seq order, with no gap, and history keeps the change", async () => {
    const [[alice], [bob], [carol]] = [await user("alice"), await user("bob"), await user("carol")];
    const roomId = await groupRoom(alice);
    await alice.addMembers(roomId, [bob.userId!]);
    await bob.joinRoom(roomId);
    const seen = record(bob, roomId);

    await alice.sendMessage(roomId, "before").result;
    await alice.addMembers(roomId, [carol.userId!]);
    const last = next(bob, "room-message-confirmed", (e) => e.seq === 4);
    await alice.sendMessage(roomId, "after").result;
    await last;

    expect(seen).toEqual(["created before", "confirmed 2", "added 3", "created after", "confirmed 4"]);
    expect(bob.rooms.watermarks.get(roomId)).toBe(4);
    const history = await bob.fetchHistory({ roomId });
    expect(history.messages.map((m) => `${m.seq} ${m.senderId}`)).toEqual(
      ["1 system", `2 ${alice.userId}`, "3 system", `4 ${alice.userId}`]);
    expect(history.messages[2].meta).toMatchObject({ event: "room-member-added", actorId: alice.userId });
  });

  it("a removed member gets room-member-removed on every device, then nothing more of the room; joining again is FORBIDDEN", async () => {
    const [[alice], [bobPhone, bobLaptop], [carol]] = [await user("alice"), await user("bob", 2), await user("carol")];
    const roomId = await groupRoom(alice);
    await alice.addMembers(roomId, [bobPhone.userId!, carol.userId!]);
    for (const c of [bobPhone, bobLaptop, carol]) await c.joinRoom(roomId);
    const phone = record(bobPhone, roomId);
    const laptop = record(bobLaptop, roomId);

    const removed = [next(bobPhone, "room-member-removed"), next(bobLaptop, "room-member-removed")];
    const ack = await alice.removeMember(roomId, bobPhone.userId!);
    for (const event of await Promise.all(removed)) {
      expect(event).toMatchObject({ roomId, seq: ack.seq, userId: bobPhone.userId, actorId: alice.userId, reason: "removed" });
    }
    const carolHears = next(carol, "room-message-created", (e) => e.new.body === "bob is gone");
    await alice.sendMessage(roomId, "bob is gone").result;
    await carolHears;
    // The gateway wrote the message to every socket in the room at once; an ack asked of each of bob's
    // sockets now is written after anything of the room that went to it.
    await Promise.all([bobPhone, bobLaptop].map((c) => c.request("list-rooms", {})));
    expect(phone).toEqual([`removed ${ack.seq}`]);
    expect(laptop).toEqual([`removed ${ack.seq}`]);

    expect(bobPhone.rooms.watermarks.has(roomId)).toBe(false);
    expect(await code(bobLaptop.request("typing", { roomId, isTyping: true }))).toBe("FORBIDDEN");
    expect(await code(bobLaptop.request("join-room", { roomId }))).toBe("FORBIDDEN");
  });

  it("quitting is for good: the room leaves the user's list, their other device leaves it too; the owner must transfer first", async () => {
    const [[alice], [bobPhone, bobLaptop]] = [await user("alice"), await user("bob", 2)];
    const roomId = await groupRoom(alice);
    await alice.addMembers(roomId, [bobPhone.userId!]);
    for (const c of [bobPhone, bobLaptop]) await c.joinRoom(roomId);
    expect(await code(alice.quitRoom(roomId))).toBe("LAST_OWNER");

    const laptopTold = next(bobLaptop, "room-member-removed");
    const aliceTold = next(alice, "room-member-removed");
    await bobPhone.quitRoom(roomId);
    expect(await laptopTold).toMatchObject({ userId: bobPhone.userId, actorId: bobPhone.userId, reason: "left" });
    expect((await aliceTold).reason).toBe("left");
    const { rooms } = await bobLaptop.request("list-rooms", {});
    expect(rooms.map((r) => r.id)).not.toContain(roomId);
    expect(await code(bobLaptop.request("typing", { roomId, isTyping: true }))).toBe("FORBIDDEN");
  });

  it("only the owner gives roles; a transfer makes the old owner an admin, in one event; roles decide who may add and remove", async () => {
    const [[alice], [bob], [carol], [dan]] = [await user("alice"), await user("bob"), await user("carol"), await user("dan")];
    const roomId = await groupRoom(alice);
    await alice.addMembers(roomId, [bob.userId!, carol.userId!]);
    await bob.joinRoom(roomId);

    expect(await code(bob.addMembers(roomId, [dan.userId!]))).toBe("FORBIDDEN");
    expect(await code(bob.setMemberRole(roomId, carol.userId!, "admin"))).toBe("FORBIDDEN");
    expect(await code(alice.setMemberRole(roomId, alice.userId!, "member"))).toBe("LAST_OWNER");
    expect(await code(alice.removeMember(roomId, dan.userId!))).toBe("NOT_FOUND");
    expect(await code(alice.removeMember(roomId, alice.userId!))).toBe("VALIDATION_ERROR");

    const changed = next(bob, "room-member-role-changed");
    const transfer = await alice.setMemberRole(roomId, bob.userId!, "owner");
    expect(transfer.changes).toEqual([
      { userId: bob.userId, role: "owner", previous: "member" }, { userId: alice.userId, role: "admin", previous: "owner" },
    ]);
    expect((await changed).changes).toEqual(transfer.changes);
    expect(await alice.listMembers(roomId)).toEqual([
      { userId: bob.userId, role: "owner" }, { userId: alice.userId, role: "admin" }, { userId: carol.userId, role: "member" },
    ]);
    expect(await code(alice.setMemberRole(roomId, carol.userId!, "admin"))).toBe("FORBIDDEN");
    expect((await alice.addMembers(roomId, [dan.userId!])).added).toEqual([dan.userId]);
    expect(await code(alice.removeMember(roomId, bob.userId!))).toBe("FORBIDDEN");
    await alice.quitRoom(roomId);
  });

  it("a direct room keeps its two members: adding, removing and quitting are FORBIDDEN", async () => {
    const [[alice], [bob], [carol]] = [await user("alice"), await user("bob"), await user("carol")];
    const { room } = await alice.request("create-room", { name: "dm", kind: "direct", members: [bob.userId!] });
    expect(await code(alice.addMembers(room.id, [carol.userId!]))).toBe("FORBIDDEN");
    expect(await code(alice.removeMember(room.id, bob.userId!))).toBe("FORBIDDEN");
    expect(await code(bob.quitRoom(room.id))).toBe("FORBIDDEN");
  });

  it("a room holds at most ROOM_MEMBERS_MAX members (1000 on the test server): an add past it adds nobody (MEMBER_LIMIT)", async () => {
    const [alice] = await user("alice");
    const roomId = await groupRoom(alice);
    for (let batch = 0; batch < 10; batch++) {
      const ids = Array.from({ length: batch === 9 ? 99 : 100 }, (_, i) => `m${batch}-${i}`);
      await alice.addMembers(roomId, ids);
    }
    expect(await code(alice.addMembers(roomId, ["one-more", "and-another"]))).toBe("MEMBER_LIMIT");
    expect((await alice.listMembers(roomId)).length).toBe(1000);
  });

  it("owners and admins rename a room and set its topic; archived, it is read-only (ROOM_ARCHIVED) until unarchived; each change in seq order", async () => {
    const [[alice], [bob]] = [await user("alice"), await user("bob")];
    const roomId = await groupRoom(alice);
    await alice.addMembers(roomId, [bob.userId!]);
    await bob.joinRoom(roomId);
    const seen: string[] = [];
    bob.on("room-updated", (e) => seen.push(`updated ${e.seq} ${e.name} ${e.topic}`));
    bob.on("room-archived", (e) => seen.push(`archived ${e.seq}`));
    bob.on("room-unarchived", (e) => seen.push(`unarchived ${e.seq}`));
    expect(await code(bob.updateRoom(roomId, { name: "mine now" }))).toBe("FORBIDDEN");

    expect(await alice.updateRoom(roomId, { name: "launch", topic: "ship it" })).toEqual({ seq: 2 });
    expect(await alice.archiveRoom(roomId)).toEqual({ seq: 3 });
    const refused = bob.sendMessage(roomId, "too late");
    expect(await code(refused.result)).toBe("ROOM_ARCHIVED");
    const listed = (await bob.request("list-rooms", {})).rooms.find((r) => r.id === roomId);
    expect(listed).toMatchObject({ name: "launch", topic: "ship it", archived: true });
    const back = next(bob, "room-unarchived");
    expect(await alice.unarchiveRoom(roomId)).toEqual({ seq: 4 });
    await back;
    expect((await bob.sendMessage(roomId, "again").result).seq).toBe(5);
    expect(seen).toEqual(["updated 2 launch ship it", "archived 3", "unarchived 4"]);
    expect(bob.rooms.watermarks.get(roomId)).toBe(5);
  });

  it("a banned member is removed on every device and kept out, public room or not, until unbanned", async () => {
    const [[alice], [bobPhone, bobLaptop]] = [await user("alice"), await user("bob", 2)];
    const { room } = await alice.request("create-room", { name: unique("square"), kind: "public" });
    await alice.joinRoom(room.id);
    for (const c of [bobPhone, bobLaptop]) await c.joinRoom(room.id);
    const told = [next(bobPhone, "room-member-banned"), next(bobLaptop, "room-member-banned")];

    const { seq } = await alice.banMember(room.id, bobPhone.userId!);
    for (const event of await Promise.all(told)) expect(event).toMatchObject({ seq, userId: bobPhone.userId, wasMember: true });
    expect(bobPhone.rooms.watermarks.has(room.id)).toBe(false);
    expect(await code(bobLaptop.request("typing", { roomId: room.id, isTyping: true }))).toBe("FORBIDDEN");
    expect(await code(bobLaptop.request("join-room", { roomId: room.id }))).toBe("FORBIDDEN");
    expect(await code(alice.addMembers(room.id, [bobPhone.userId!]))).toBe("FORBIDDEN");

    await alice.unbanMember(room.id, bobPhone.userId!);
    expect((await bobLaptop.joinRoom(room.id)).roomId).toBe(room.id);
  });

  it("the owner deletes a room with its messages: every member's devices hear it, the room is gone from their lists and NOT_FOUND", async () => {
    const [[alice], [bobPhone, bobLaptop]] = [await user("alice"), await user("bob", 2)];
    const roomId = await groupRoom(alice);
    await alice.addMembers(roomId, [bobPhone.userId!]);
    await bobPhone.joinRoom(roomId);
    await alice.sendMessage(roomId, "soon gone").result;
    expect(await code(bobPhone.deleteRoom(roomId))).toBe("FORBIDDEN");

    const told = [next(bobPhone, "room-deleted"), next(bobLaptop, "room-deleted")];
    expect(await alice.deleteRoom(roomId)).toEqual({ seq: 3 });
    for (const event of await Promise.all(told)) expect(event).toEqual({ roomId, seq: 3, actorId: alice.userId });
    expect(bobPhone.rooms.watermarks.has(roomId)).toBe(false);
    expect((await bobLaptop.request("list-rooms", {})).rooms.map((r) => r.id)).not.toContain(roomId);
    expect(await code(bobLaptop.request("join-room", { roomId }))).toBe("NOT_FOUND");
    expect(await code(bobPhone.request("typing", { roomId, isTyping: true }))).toBe("FORBIDDEN");
  });

  it("search-rooms pages the tenant's public rooms whose name contains the query, with member counts", async () => {
    const [alice] = await user("alice");
    const tag = unique("plaza");
    for (const name of [`${tag} a`, `${tag} b`, `${tag} c`]) await alice.request("create-room", { name, kind: "public" });
    await alice.request("create-room", { name: `${tag} hidden`, kind: "group" });
    const first = await alice.request("search-rooms", { query: tag.toUpperCase(), limit: 2 });
    expect(first.rooms.map((r) => r.name)).toEqual([`${tag} a`, `${tag} b`]);
    expect(first.rooms[0]).toMatchObject({ kind: "public", members: 1, member: true });
    const second = await alice.request("search-rooms", { query: tag, limit: 2, after: first.next });
    expect(second.rooms.map((r) => r.name)).toEqual([`${tag} c`]);
    expect(second.next).toBeUndefined();
    expect(await code(alice.request("search-rooms", { after: "not-a-cursor" }))).toBe("VALIDATION_ERROR");
  });

  it("an invitation admits its bearer: they join the room, the members hear who invited them; used up, it is NOT_FOUND", async () => {
    const [[alice], [bob], [carol]] = [await user("alice"), await user("bob"), await user("carol")];
    const roomId = await groupRoom(alice);
    const invite = await alice.request("create-invite", { roomId, maxUses: 1 });
    expect(invite.maxUses).toBe(1);
    const heard = next(alice, "room-member-added");

    const joined = await bob.acceptInvite(invite.token);
    expect(joined.roomId).toBe(roomId);
    expect(await heard).toMatchObject({ actorId: bob.userId, invitedBy: alice.userId, members: [{ userId: bob.userId, role: "member" }] });
    expect(bob.rooms.watermarks.has(roomId)).toBe(true);
    expect(await code(carol.request("accept-invite", { token: invite.token }))).toBe("NOT_FOUND");
    expect(await code(bob.request("create-invite", { roomId }))).toBe("FORBIDDEN");
  });

  it("a room created with members is announced to each of their devices and the creator's, as the ack has it; an existing direct room is not", async () => {
    const [[alicePhone, aliceLaptop], [bob]] = [await user("alice", 2), await user("bob")];
    const heard: string[] = [];
    bob.on("room-created", ({ room }) => heard.push(room.id));
    const toBob = next(bob, "room-created");
    const toLaptop = next(aliceLaptop, "room-created");

    const { room: group } = await alicePhone.request("create-room", { name: unique("launch"), kind: "group", members: [bob.userId!] });

    expect((await toBob).room).toEqual(group);
    expect((await toLaptop).room).toEqual(group);
    expect(group).toMatchObject({ kind: "group", members: [alicePhone.userId, bob.userId], createdBy: alicePhone.userId });
    const direct = next(bob, "room-created", (e) => e.room.kind === "direct");
    const { room: dm } = await alicePhone.request("create-room", { name: "dm", kind: "direct", members: [bob.userId!] });
    expect((await direct).room.id).toBe(dm.id);
    const { room: again } = await bob.request("create-room", { name: "dm", kind: "direct", members: [alicePhone.userId!] });
    expect(again.id).toBe(dm.id);
    // The next room bob hears of is one created after: the direct room asked again was not announced.
    const later = next(bob, "room-created", (e) => e.room.name === "later");
    const { room: last } = await alicePhone.request("create-room", { name: "later", kind: "group", members: [bob.userId!] });
    expect((await later).room.id).toBe(last.id);
    expect(heard).toEqual([group.id, dm.id, last.id]);
  });
});
