import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/lib";
import * as T from "../../src/app/timeline";

const msg = (seq: number, body = `m${seq}`, senderId = "bob", clientMsgId = `c-${seq}`): ChatMessage => ({
  id: `id-${seq}`, clientMsgId, roomId: "r", seq, senderId, senderName: senderId, body, replyTo: null, meta: null,
  createdAt: new Date(0).toISOString(), editedAt: null, deleted: false,
});

describe("timeline", () => {
  it("shows each durable message once, in seq order, whatever order pages arrive in", () => {
    let lines = T.mergeDurable([], [msg(3), msg(4)]);
    lines = T.mergeDurable(lines, [msg(1), msg(2), msg(3)]);
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
  });

  it("an optimistic copy becomes the durable line when confirmed, and a catch-up copy replaces it", () => {
    const optimistic = { tempId: "t1", roomId: "r", senderId: "bob", senderName: "bob", body: "hi", replyTo: null, meta: null,
      createdAt: new Date(0).toISOString(), optimistic: true as const };
    let lines = T.upsert([], T.fromOptimistic(optimistic));
    lines = T.confirm(lines, "t1", "id-7", 7);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ id: "id-7", seq: 7, status: "sent" });

    const other = T.upsert([], T.fromOptimistic({ ...optimistic, tempId: "t2", body: "again" }));
    expect(T.mergeDurable(other, [msg(8, "again", "bob", "t2")])).toHaveLength(1);
    expect(T.mergeDurable(other, [msg(9, "again", "bob", "t9")]), "same words, another message").toHaveLength(2);
  });

  it("own pending messages stay after the durable ones until confirmed", () => {
    const pending = { clientMsgId: "c1", roomId: "r", body: "mine", createdAt: "", state: "pending" as const, attempts: 1 };
    let lines = T.upsert(T.mergeDurable([], [msg(1)]), T.fromOutgoing(pending, "me", "Me"));
    expect(lines.map((l) => l.status)).toEqual(["sent", "pending"]);
    lines = T.upsert(lines, T.fromOutgoing({ ...pending, state: "confirmed", ack: { id: "id-2", seq: 2, createdAt: "" } }, "me", "Me"));
    expect(lines.map((l) => [l.seq, l.status])).toEqual([[1, "sent"], [2, "sent"]]);
  });

  it("a message's files: ids on another member's copy, described by the confirmation; an own message's stored descriptors outlast its late ack; a delete drops them", () => {
    const photo = { id: "a1", name: "harbour.png", contentType: "image/png", size: 7000, width: 1200, height: 800, thumbnail: true };
    const optimistic = { tempId: "t1", roomId: "r", senderId: "bob", senderName: "bob", body: "look", replyTo: null, meta: null,
      createdAt: new Date(0).toISOString(), optimistic: true as const, attachments: [{ id: "a1" }] };
    let lines = T.upsert([], T.fromOptimistic(optimistic));
    expect(lines[0].attachments).toEqual([{ id: "a1" }]);
    lines = T.confirm(lines, "t1", "id-5", 5, [photo]);
    expect(lines[0].attachments).toEqual([photo]);

    const uploads = new Map([["a1", { id: "a1", name: "harbour.png", contentType: "image/png", size: 7000 }]]);
    const mine = { clientMsgId: "c2", roomId: "r", body: "mine", createdAt: "", state: "pending" as const, attempts: 1, attachments: ["a1"] };
    let own = T.upsert([], T.fromOutgoing(mine, "me", "Me", uploads));
    expect(own[0].attachments).toEqual([uploads.get("a1")]);
    own = T.mergeDurable(T.upsert(own, T.fromOutgoing({ ...mine, state: "confirmed", ack: { id: "id-6", seq: 6, createdAt: "" } }, "me", "Me", uploads)),
      [{ ...msg(6, "mine", "me", "c2"), attachments: [photo] }]);
    own = T.upsert(own, T.fromOutgoing({ ...mine, state: "confirmed", ack: { id: "id-6", seq: 6, createdAt: "" } }, "me", "Me", uploads));
    expect(own).toHaveLength(1);
    expect(own[0].attachments).toEqual([photo]);
    expect(T.removedBody(own, "id-6")[0].attachments).toBeUndefined();
  });
});
