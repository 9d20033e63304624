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

async function failure(request: Promise<unknown>): Promise<SwitchboardError> {
  const e = await request.then(() => new Error("no error"), (err) => err);
  if (!(e instanceof SwitchboardError)) throw e;
  return e;
}

/** A group room of `owner`'s with these members, everyone joined. */
async function room(owner: SwitchboardClient, ...members: SwitchboardClient[]): Promise<string> {
  const { room } = await owner.request("create-room", { name: unique("team"), kind: "group" });
  await owner.joinRoom(room.id);
  if (members.length) await owner.addMembers(room.id, members.map((m) => m.userId!));
  for (const m of members) await m.joinRoom(room.id);
  return room.id;
}

describe("Moderation: mutes, slow mode and blocks, against the running gateway", () => {
  it("a muted member's devices hear it, list-members tells it; their sends fail with FORBIDDEN, the mute's end and the time left, unseen by the room; unmuted, they send", async () => {
    const [[alice], [bobPhone, bobLaptop], [carol]] = [await user("alice"), await user("bob", 2), await user("carol")];
    const roomId = await room(alice, bobPhone, carol);
    const laptopTold = next(bobLaptop, "room-member-muted");
    const carolTold = next(carol, "room-member-muted");
    const seenByCarol: string[] = [];
    carol.on("room-message-created", (e) => e.new.roomId === roomId && seenByCarol.push(e.new.body));

    const muted = await alice.muteMember(roomId, bobPhone.userId!, 600);
    expect(muted.seq).toBe(2);
    for (const event of [await laptopTold, await carolTold]) {
      expect(event).toMatchObject({ roomId, seq: 2, actorId: alice.userId, userId: bobPhone.userId, mutedUntil: muted.mutedUntil,
        durationSeconds: 600 });
    }
    const refused = await failure(bobPhone.sendMessage(roomId, "spam").result);
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.mutedUntil).toBe(muted.mutedUntil);
    expect(refused.retryAfterMs).toBeGreaterThan(590_000);
    expect(refused.retryable).toBe(false);
    expect((await bobLaptop.joinRoom(roomId)).mutedUntil).toBe(muted.mutedUntil);
    // Anyone who lists the members later learns it, with the same end.
    expect(await carol.listMembers(roomId)).toEqual([
      { userId: alice.userId, role: "owner" }, { userId: bobPhone.userId, role: "member", mutedUntil: muted.mutedUntil },
      { userId: carol.userId, role: "member" },
    ]);

    const unmuted = next(carol, "room-member-unmuted");
    expect(await alice.unmuteMember(roomId, bobPhone.userId!)).toEqual({ seq: 3 });
    await unmuted;
    expect((await carol.listMembers(roomId)).find((m) => m.userId === bobPhone.userId)).toEqual({ userId: bobPhone.userId, role: "member" });
    expect(await alice.unmuteMember(roomId, bobPhone.userId!)).toEqual({});
    const back = next(carol, "room-message-confirmed", (e) => e.seq === 4);
    expect((await bobPhone.sendMessage(roomId, "back").result).seq).toBe(4);
    await back;
    expect(seenByCarol).toEqual(["back"]);
    expect(carol.rooms.watermarks.get(roomId)).toBe(4);
  });

  it("rights as for bans: a member mutes nobody, an admin no admin, nobody the owner; muting yourself is VALIDATION_ERROR", async () => {
    const [[alice], [bob], [carol]] = [await user("alice"), await user("bob"), await user("carol")];
    const roomId = await room(alice, bob, carol);
    expect((await failure(carol.muteMember(roomId, bob.userId!, 60))).code).toBe("FORBIDDEN");
    await alice.setMemberRole(roomId, bob.userId!, "admin");
    expect((await failure(bob.muteMember(roomId, alice.userId!, 60))).code).toBe("FORBIDDEN");
    expect((await failure(bob.muteMember(roomId, bob.userId!, 60))).code).toBe("VALIDATION_ERROR");
    expect((await failure(bob.muteMember(roomId, unique("stranger"), 60))).code).toBe("NOT_FOUND");
    expect((await bob.muteMember(roomId, carol.userId!, 60)).seq).toBeGreaterThan(0);
  });

  it("slow mode: a member's message too early fails with SLOW_MODE and the wait, unseen by the room, not retried by itself; owners are exempt; turned off, members send", async () => {
    const [[alice], [bob]] = [await user("alice"), await user("bob")];
    const roomId = await room(alice, bob);
    const told = next(bob, "room-updated");
    expect(await alice.updateRoom(roomId, { slowMode: 60 })).toEqual({ seq: 2 });
    expect((await told).slowMode).toBe(60);
    expect((await alice.joinRoom(roomId)).slowMode).toBe(60);

    await bob.sendMessage(roomId, "first").result;
    const early = bob.sendMessage(roomId, "too early");
    const refused = await failure(early.result);
    expect(refused.code).toBe("SLOW_MODE");
    expect(refused.slowMode).toBe(60);
    expect(refused.retryAfterMs).toBeGreaterThan(50_000);
    expect(refused.retryable).toBe(true);
    expect(early.message.attempts).toBe(1);
    await alice.sendMessage(roomId, "owner").result;
    expect((await alice.sendMessage(roomId, "owner again").result).seq).toBe(5);

    await alice.updateRoom(roomId, { slowMode: 0 });
    expect((await bob.sendMessage(roomId, "free again").result).seq).toBe(7);
  });

  it("blocks: a blocked user's messages reach the blocker as placeholders with their seq (no gap), live and in history; the blocker's devices hear it; no direct room; unblocked, whole again", async () => {
    const [[alice], [bob, bobLaptop], [carol]] = [await user("alice"), await user("bob", 2), await user("carol")];
    const roomId = await room(alice, bob, carol);
    const laptopTold = next(bobLaptop, "user-blocks-changed");
    await bob.blockUser(carol.userId!);
    expect((await laptopTold).blocked).toEqual([carol.userId]);
    expect((await bob.listBlocks()).map((b) => b.userId)).toEqual([carol.userId]);

    const placeholder = next(bob, "room-message-created", (e) => e.new.roomId === roomId);
    const alicesCopy = next(alice, "room-message-confirmed", (e) => e.roomId === roomId);
    const { seq } = await carol.sendMessage(roomId, "secret").result;
    const hidden = (await placeholder).new;
    expect(hidden).toMatchObject({ seq, senderId: carol.userId, body: "", hidden: true, optimistic: false });
    expect((await alicesCopy).seq).toBe(seq);
    expect(bob.rooms.watermarks.get(roomId)).toBe(seq);
    const history = await bob.fetchHistory({ roomId });
    expect(history.messages.find((m) => m.seq === seq)).toMatchObject({ body: "", hidden: true, senderId: carol.userId });
    expect((await alice.fetchHistory({ roomId })).messages.find((m) => m.seq === seq)?.body).toBe("secret");

    expect((await failure(carol.request("create-room", { name: "dm", kind: "direct", members: [bob.userId!] }))).code).toBe("BLOCKED");
    expect((await failure(bob.request("create-room", { name: "dm", kind: "direct", members: [carol.userId!] }))).code).toBe("BLOCKED");
    expect((await failure(bob.blockUser(bob.userId!))).code).toBe("VALIDATION_ERROR");

    await bob.unblockUser(carol.userId!);
    const whole = next(bob, "room-message-created", (e) => e.new.roomId === roomId);
    await carol.sendMessage(roomId, "visible").result;
    expect((await whole).new).toMatchObject({ body: "visible", optimistic: true });
    expect(await bob.listBlocks()).toEqual([]);
  });
});
