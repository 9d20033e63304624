// Attachments through the client library, against the running gateway (its default local store).
import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient, SwitchboardError, type ServerEvents } from "../../src/lib";
import { connected, unique } from "../support/gateway";
import { png, pngSize } from "../support/png";

const clients: SwitchboardClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function user(name: string): Promise<SwitchboardClient> {
  const client = await connected(unique(name));
  clients.push(client);
  return client;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function refusal(promise: Promise<unknown>): Promise<SwitchboardError> {
  const e = await promise.then(() => null, (e: unknown) => e);
  expect(e).toBeInstanceOf(SwitchboardError);
  return e as SwitchboardError;
}

describe("Attachments, against the running gateway", () => {
  it("an image uploaded with progress and sent: the other member gets its descriptors live and in history, and downloads it and its thumbnail", async () => {
    const [alice, bob] = [await user("alice"), await user("bob")];
    const { room } = await alice.request("create-room", { name: unique("photos"), kind: "group", members: [bob.userId!] });
    await alice.joinRoom(room.id);
    await bob.joinRoom(room.id);
    const confirmed: ServerEvents["room-message-confirmed"][] = [];
    bob.on("room-message-confirmed", (e) => confirmed.push(e));
    const told: ServerEvents["upload-progress"][] = [];
    alice.on("upload-progress", (e) => told.push(e));
    const seen: number[] = [];

    const bytes = png(640, 400);
    const file = new File([new Uint8Array(bytes)], "harbour.png", { type: "image/png" });
    const attachment = await alice.upload(room.id, file, { onProgress: (p) => seen.push(p.received) });
    expect(attachment).toMatchObject({ name: "harbour.png", contentType: "image/png", size: bytes.length });
    expect(seen.at(-1)).toBe(bytes.length);
    // The gateway tells the uploader's devices, once at least: at the end.
    await until(() => told.some((e) => e.attachmentId === attachment.id && e.received === bytes.length));
    expect(told.every((e) => e.total === bytes.length)).toBe(true);

    const sent = await alice.sendMessage(room.id, "the view from the office", { attachments: [attachment.id] }).result;
    const described = { id: attachment.id, name: "harbour.png", contentType: "image/png", size: bytes.length, width: 640, height: 400, thumbnail: true };
    await until(() => confirmed.some((e) => e.id === sent.id));
    expect(confirmed.find((e) => e.id === sent.id)!.attachments).toEqual([described]);
    const { messages } = await bob.fetchHistory({ roomId: room.id });
    expect(messages.find((m) => m.id === sent.id)!.attachments).toEqual([described]);

    const full = await bob.downloadAttachment(attachment.id);
    expect(full.type).toBe("image/png");
    expect(Buffer.from(await full.arrayBuffer()).equals(bytes)).toBe(true);
    const thumbnail = new Uint8Array(await (await bob.downloadAttachment(attachment.id, { thumbnail: true })).arrayBuffer());
    const size = pngSize(thumbnail);
    expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(256);
    expect(size.width / size.height).toBeCloseTo(640 / 400, 1);
  });

  it("a file too large or of a type not allowed is refused before any byte moves; a non-member cannot download", async () => {
    const [alice, eve] = [await user("alice"), await user("eve")];
    const { room } = await alice.request("create-room", { name: unique("files"), kind: "group" });
    await alice.joinRoom(room.id);

    const huge = new Blob([new Uint8Array(25 * 1024 * 1024 + 1)], { type: "application/pdf" });
    expect((await refusal(alice.upload(room.id, huge, { name: "huge.pdf" }))).code).toBe("UPLOAD_TOO_LARGE");
    const program = new File([new Uint8Array([0x4d, 0x5a])], "setup.exe", { type: "application/x-msdownload" });
    expect((await refusal(alice.upload(room.id, program))).code).toBe("UNSUPPORTED_TYPE");

    const notes = await alice.upload(room.id, new File(["minutes of the meeting\n"], "notes.txt", { type: "text/plain" }));
    await alice.sendMessage(room.id, "notes", { attachments: [notes.id] }).result;
    expect(await (await alice.downloadAttachment(notes.id)).text()).toBe("minutes of the meeting\n");
    expect((await refusal(eve.downloadAttachment(notes.id))).code).toBe("FORBIDDEN");
    expect((await refusal(alice.sendMessage(room.id, "again?", { attachments: [crypto.randomUUID()] }).result)).code)
      .toBe("VALIDATION_ERROR");
  });
});
