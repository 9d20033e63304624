// Reactions, threads and message search through the client library, against the running gateway.
import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient, SwitchboardError, applyReaction, keepReactions, type ChatMessage, type ServerEvents } from "../../src/lib";
import { connected, unique } from "../support/gateway";

const clients: SwitchboardClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function user(name: string, devices = 1): Promise<SwitchboardClient[]> {
  const id = unique(name);
  const all: SwitchboardClient[] = [];
  for (let i = 0; i < devices; i++) all.push(await connected(id));
  clients.push(...all);
  return all;
}

/** The `message-reaction` events a client hears, in order. */
function heard(client: SwitchboardClient): ServerEvents["message-reaction"][] {
  const events: ServerEvents["message-reaction"][] = [];
  client.on("message-reaction", (e) => events.push(e));
  return events;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("Reactions, against the running gateway", () => {
  it("a reaction reaches the room and the reactor's other device; folded in by version, each device shows the same counts and its own marked", async () => {
    const [[alice], [bobPhone, bobLaptop]] = [await user("alice"), await user("bob", 2)];
    const { room } = await alice.request("create-room", { name: unique("team"), kind: "group", members: [bobPhone.userId!] });
    for (const c of [alice, bobPhone, bobLaptop]) await c.joinRoom(room.id);
    const sent = await alice.sendMessage(room.id, "ship it?").result;
    const [aliceHeard, laptopHeard] = [heard(alice), heard(bobLaptop)];

    const ack = await bobPhone.addReaction(room.id, sent.id, "👍");
    expect(ack).toEqual({ changed: true, version: 1, reactions: [{ emoji: "👍", count: 1, users: [bobPhone.userId], me: true }] });
    expect((await bobLaptop.addReaction(room.id, sent.id, "👍")).changed).toBe(false);
    await alice.addReaction(room.id, sent.id, "🎉");
    await until(() => aliceHeard.length === 1 && laptopHeard.length === 2);

    let { messages: [message] } = await alice.fetchHistory({ roomId: room.id });
    expect(message.reactions).toEqual([
      { emoji: "👍", count: 1, users: [bobPhone.userId], me: false },
      { emoji: "🎉", count: 1, users: [alice.userId], me: true },
    ]);
    // The laptop folds in the events from an older copy of the message, in any order.
    const older: ChatMessage = { ...message, reactions: undefined, reactionsVersion: undefined };
    const [first, second] = laptopHeard;
    const folded = applyReaction(applyReaction(older, second, bobLaptop.userId!), first, bobLaptop.userId!);
    expect(folded.reactionsVersion).toBe(2);
    expect(folded.reactions).toEqual([
      { emoji: "👍", count: 1, users: [bobPhone.userId], me: true },
      { emoji: "🎉", count: 1, users: [alice.userId], me: false },
    ]);
    const removed = await bobLaptop.removeReaction(room.id, sent.id, "👍");
    expect(applyReaction(folded, removed, bobLaptop.userId!).reactions).toEqual([
      { emoji: "🎉", count: 1, users: [alice.userId], me: false },
    ]);
    await until(() => aliceHeard.length === 2);
    message = applyReaction(message, aliceHeard[1], alice.userId!);
    expect(message.reactions).toEqual([{ emoji: "🎉", count: 1, users: [alice.userId], me: true }]);
    expect(keepReactions({ ...message, body: "edited", reactions: undefined }, message).reactions).toEqual(message.reactions);
  });

  it("an emoji that is not one is VALIDATION_ERROR, a message of no room of yours NOT_FOUND", async () => {
    const [[alice]] = [await user("alice")];
    const { room } = await alice.request("create-room", { name: unique("team"), kind: "group" });
    await alice.joinRoom(room.id);
    const sent = await alice.sendMessage(room.id, "hi").result;
    const codeOf = (p: Promise<unknown>) => p.then(() => "no error", (e: SwitchboardError) => e.code);
    expect(await codeOf(alice.addReaction(room.id, sent.id, "two words"))).toBe("VALIDATION_ERROR");
    expect(await codeOf(alice.addReaction(room.id, crypto.randomUUID(), "👍"))).toBe("NOT_FOUND");
  });
});

describe("Message search, against the running gateway", () => {
  it("finds the user's messages by their words, best first, page after page; a wordless query is VALIDATION_ERROR", async () => {
    const [[alice], [bob]] = [await user("alice"), await user("bob")];
    const word = unique("zebra").replace(/-/g, "");
    const { room } = await alice.request("create-room", { name: unique("team"), kind: "group", members: [bob.userId!] });
    await alice.joinRoom(room.id);
    await alice.sendMessage(room.id, `a ${word} here`).result;
    await alice.sendMessage(room.id, `${word} and ${word} again`).result;
    await alice.sendMessage(room.id, "nothing").result;

    const first = await bob.searchMessages(word, { limit: 1 });
    expect(first.results.map((r) => r.message.body)).toEqual([`${word} and ${word} again`]);
    expect(first.next).toBeDefined();
    const second = await bob.searchMessages(word, { limit: 1, after: first.next });
    expect(second.results.map((r) => r.message.body)).toEqual([`a ${word} here`]);
    expect(second.next).toBeUndefined();
    expect((await bob.searchMessages(`${word} -again`, { roomId: room.id })).results).toHaveLength(1);
    const error = await bob.searchMessages("?!").then(() => null, (e: SwitchboardError) => e);
    expect(error?.code).toBe("VALIDATION_ERROR");
  });
});

describe("Threads, against the running gateway", () => {
  it("a reply goes into its message's thread: the room hears thread-updated, history shows the thread, fetchThread pages its replies; a reply to another room's message is VALIDATION_ERROR", async () => {
    const [[alice], [bob]] = [await user("alice"), await user("bob")];
    const { room } = await alice.request("create-room", { name: unique("team"), kind: "group", members: [bob.userId!] });
    const { room: other } = await alice.request("create-room", { name: unique("other"), kind: "group" });
    for (const c of [alice, bob]) await c.joinRoom(room.id);
    await alice.joinRoom(other.id);
    const root = await alice.sendMessage(room.id, "lunch?").result;
    const updated = new Promise<ServerEvents["thread-updated"]>((resolve) => alice.on("thread-updated", resolve));
    const reply = await bob.sendMessage(room.id, "yes", { replyTo: root.id }).result;

    expect(await updated).toMatchObject({ roomId: room.id, messageId: root.id, replyId: reply.id, replySenderId: bob.userId,
      thread: { replies: 1, lastReplySeq: reply.seq } });
    const { messages } = await bob.fetchHistory({ roomId: room.id });
    expect(messages[0].thread).toMatchObject({ replies: 1, lastReplySeq: reply.seq });
    const thread = await bob.fetchThread(room.id, root.id);
    expect(thread.root.id).toBe(root.id);
    expect(thread.messages.map((m) => [m.body, m.replyTo])).toEqual([["yes", root.id]]);
    expect((await bob.fetchThread(room.id, root.id, { afterSeq: reply.seq })).messages).toEqual([]);

    const elsewhere = await alice.sendMessage(other.id, "elsewhere").result;
    const error = await alice.sendMessage(room.id, "wrong", { replyTo: elsewhere.id }).result.then(() => null, (e: SwitchboardError) => e);
    expect(error?.code).toBe("VALIDATION_ERROR");
  });
});
