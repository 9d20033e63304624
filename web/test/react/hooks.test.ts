// The React bindings as an application uses them: hooks rendered by React Testing Library under a
// SwitchboardProvider, each user with a client of their own, against the running gateway.
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { createElement, type ReactNode } from "react";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  SwitchboardProvider, useConnectionState, useMessages, usePresence, useRoom, useSwitchboard, useTyping, useUnread,
  type MessageEntry,
} from "@switchboard/react";
import type { SwitchboardClient } from "../../src/lib";
import { TENANT, URL, connected, devToken, dropConnection, unique } from "../support/gateway";

const clients: SwitchboardClient[] = [];
afterEach(() => cleanup());
afterAll(() => clients.forEach((c) => c.close()));

async function user(name: string): Promise<{ id: string; client: SwitchboardClient; wrapper: (p: { children: ReactNode }) => ReactNode }> {
  const id = unique(name);
  const client = await connected(id);
  clients.push(client);
  return { id, client, wrapper: ({ children }) => createElement(SwitchboardProvider, { client }, children) };
}

const bodies = (messages: MessageEntry[]) => messages.map((m) => m.body);
const WAIT = { timeout: 10_000 };

describe("@switchboard/react hooks against a running gateway", () => {
  it("useRoom joins; useMessages shows the latest page, then older pages; useUnread counts them", async () => {
    const alice = await user("alice");
    const bob = await user("bob");
    const { room } = await alice.client.request("create-room", { name: "paging", kind: "group", members: [bob.id] });
    await alice.client.joinRoom(room.id);
    for (let i = 1; i <= 7; i++) await alice.client.sendMessage(room.id, `m${i}`).result;

    const { result } = renderHook(() => ({
      room: useRoom(room.id), messages: useMessages(room.id, { pageSize: 5 }), unread: useUnread(room.id),
    }), { wrapper: bob.wrapper });
    expect(result.current.room.status).toBe("joining");
    await waitFor(() => expect(result.current.messages.loading).toBe(false), WAIT);
    expect(result.current.room).toMatchObject({ status: "joined", ack: { lastSeq: 7, unread: 7 } });
    // Room creation took no seq: the messages are 1..7, the latest five shown.
    expect(bodies(result.current.messages.messages)).toEqual(["m3", "m4", "m5", "m6", "m7"]);
    expect(result.current.messages.hasMore).toBe(true);
    expect(result.current.unread.unread).toBe(7);

    let loaded = false;
    await act(async () => void (loaded = await result.current.messages.loadOlder()));
    expect(loaded).toBe(true);
    expect(bodies(result.current.messages.messages)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    expect(result.current.messages.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.current.messages.hasMore).toBe(false);
    await act(async () => void (loaded = await result.current.messages.loadOlder()));
    expect(loaded).toBe(false);

    await act(() => result.current.unread.markRead());
    expect(result.current.unread.unread).toBe(0);
    // Another member's new message is unread until marked read.
    await alice.client.sendMessage(room.id, "m8").result;
    await waitFor(() => expect(result.current.unread.unread).toBe(1), WAIT);
  });

  it("a message sent with useMessages is pending at once, then sent with its seq; the other member sees it optimistic, then confirmed", async () => {
    const alice = await user("alice");
    const bob = await user("bob");
    const { room } = await alice.client.request("create-room", { name: "optimistic", kind: "group", members: [bob.id] });

    const seenByBob: MessageEntry[][] = [];
    const bobs = renderHook(() => {
      const view = useMessages(room.id);
      seenByBob.push(view.messages);
      return { view, unread: useUnread(room.id) };
    }, { wrapper: bob.wrapper });
    const alices = renderHook(() => ({ view: useMessages(room.id), unread: useUnread(room.id) }), { wrapper: alice.wrapper });
    await waitFor(() => expect(alices.result.current.view.loading || bobs.result.current.view.loading).toBe(false), WAIT);

    let result!: Promise<unknown>;
    act(() => void ({ result } = alices.result.current.view.send("hello bob")));
    // Before any answer of the server: shown, pending, no seq.
    expect(alices.result.current.view.messages).toMatchObject([{ body: "hello bob", status: "pending", mine: true }]);
    expect(alices.result.current.view.messages[0].seq).toBeUndefined();
    const key = alices.result.current.view.messages[0].key;
    await act(() => result);
    expect(alices.result.current.view.messages).toMatchObject([{ key, body: "hello bob", status: "sent", seq: 1, mine: true }]);
    // One's own message is read.
    expect(alices.result.current.unread.unread).toBe(0);

    await waitFor(() => expect(bobs.result.current.view.messages).toMatchObject([{ body: "hello bob", status: "sent", seq: 1 }]), WAIT);
    const bobSaw = seenByBob.flat().filter((m) => m.body === "hello bob");
    expect(bobSaw[0]).toMatchObject({ status: "optimistic", senderId: alice.id, mine: false });
    expect(bobSaw[0].seq).toBeUndefined();
    // The same entry all along (its React key), shown once.
    expect(new Set(bobSaw.map((m) => m.key))).toEqual(new Set([key]));
    expect(bobs.result.current.view.messages).toHaveLength(1);
    expect(bobs.result.current.unread.unread).toBe(1);
  });

  it("useTyping shows who types, and stops; usePresence shows who is online and who went offline", async () => {
    const alice = await user("alice");
    const bob = await user("bob");
    const { room } = await alice.client.request("create-room", { name: "typing", kind: "group", members: [bob.id] });
    const alices = renderHook(() => ({ room: useRoom(room.id), typing: useTyping(room.id) }), { wrapper: alice.wrapper });
    const bobs = renderHook(() => ({ room: useRoom(room.id), typing: useTyping(room.id), online: usePresence(room.id) }), {
      wrapper: bob.wrapper,
    });
    await waitFor(() => expect([alices.result.current.room.status, bobs.result.current.room.status]).toEqual(["joined", "joined"]), WAIT);

    act(() => alices.result.current.typing.notifyTyping());
    await waitFor(() => expect(bobs.result.current.typing.typing).toEqual([alice.id]), WAIT);
    expect(alices.result.current.typing.typing).toEqual([]);
    act(() => alices.result.current.typing.stopTyping());
    await waitFor(() => expect(bobs.result.current.typing.typing).toEqual([]), WAIT);

    await waitFor(() => expect(bobs.result.current.online).toEqual([alice.id, bob.id].sort()), WAIT);
    alices.unmount();
    alice.client.close();
    await waitFor(() => expect(bobs.result.current.online).toEqual([bob.id]), WAIT);
  });

  it("useConnectionState follows a dropped connection back; what was sent meanwhile comes into useMessages once", async () => {
    const alice = await user("alice");
    const bob = await user("bob");
    const { room } = await alice.client.request("create-room", { name: "drop", kind: "group", members: [bob.id] });
    await alice.client.joinRoom(room.id);
    const { result } = renderHook(() => ({ state: useConnectionState(), view: useMessages(room.id) }), { wrapper: bob.wrapper });
    await waitFor(() => expect(result.current.view.loading).toBe(false), WAIT);
    expect(result.current.state.state).toBe("connected");

    let link!: ReturnType<typeof dropConnection>;
    act(() => void (link = dropConnection(bob.client)));
    await waitFor(() => expect(result.current.state.state).toBe("reconnecting"), WAIT);
    await alice.client.sendMessage(room.id, "while you were away").result;
    act(() => link.restore({ recoverable: false }));
    await waitFor(() => expect(result.current.state.state).toBe("connected"), WAIT);
    await waitFor(() => expect(bodies(result.current.view.messages)).toEqual(["while you were away"]), WAIT);
    expect(result.current.view.messages[0]).toMatchObject({ status: "sent", seq: 1 });
  });

  it("useRoom says so when the user is removed from the room while in it", async () => {
    const alice = await user("alice");
    const bob = await user("bob");
    const { room } = await alice.client.request("create-room", { name: "removal", kind: "group", members: [bob.id] });
    const { result } = renderHook(() => useRoom(room.id), { wrapper: bob.wrapper });
    await waitFor(() => expect(result.current.status).toBe("joined"), WAIT);
    await alice.client.removeMember(room.id, bob.id);
    await waitFor(() => expect(result.current.status).toBe("failed"), WAIT);
    expect(result.current.error?.code).toBe("FORBIDDEN");
  });

  it("a provider given options makes its client and connects it; a refused token shows as disconnected with its code", async () => {
    const carol = unique("carol");
    const token = () => devToken(carol, TENANT);
    const wrapper = ({ children }: { children: ReactNode }) =>
      createElement(SwitchboardProvider, { options: { url: URL, token, transports: ["websocket"] } }, children);
    const ok = renderHook(() => ({ state: useConnectionState(), client: useSwitchboard() }), { wrapper });
    await waitFor(() => expect(ok.result.current.state.state).toBe("connected"), WAIT);
    expect(ok.result.current.client.userId).toBe(carol);
    const client = ok.result.current.client;
    ok.unmount();
    expect(client.state).toBe("disconnected");

    const refusedWrapper = ({ children }: { children: ReactNode }) =>
      createElement(SwitchboardProvider, { options: { url: URL, token: "not-a-token", transports: ["websocket"] } }, children);
    const refused = renderHook(() => useConnectionState(), { wrapper: refusedWrapper });
    await waitFor(() => expect(refused.result.current).toMatchObject({ state: "disconnected", reason: "AUTH_FAILED" }), WAIT);

    expect(() => renderHook(() => useSwitchboard())).toThrow(/SwitchboardProvider/);
  });
});
