import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { connected, unique } from "../support/gateway";
import { axeViolations, launch, screenshot, signIn, type WatchedPage } from "./browser";

const TIMEOUT = 15_000;
let browser: Browser;
let alice: WatchedPage;
let bob: WatchedPage;
const names = { alice: unique("alice"), bob: unique("bob"), room: unique("lobby"), side: unique("side") };

/** The message whose body is exactly this text. */
const message = (page: Page, text: string) => page.locator("[data-testid=message]", {
  has: page.locator("[data-testid=message-body]", { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }),
});
const bodies = (page: Page) => page.locator("[data-testid=message-body]").allTextContents();

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe("the chat app in two browsers", () => {
  it("alice signs in, creates two public rooms; bob signs in, finds them under public rooms and joins", async () => {
    alice = await signIn(browser, names.alice);
    for (const name of [names.side, names.room]) {
      await alice.page.fill("input[name=room-name]", name);
      await alice.page.click("[data-testid=new-room] button[type=submit]");
      await alice.page.waitForSelector(`[data-testid=room-title]:text("${name}")`);
    }

    bob = await signIn(browser, names.bob);
    await bob.page.click(`[data-testid=join-room][data-room-name="${names.side}"]`);
    await bob.page.waitForSelector(`[data-testid=room-title]:text("${names.side}")`);
    await bob.page.click(`[data-testid=join-room][data-room-name="${names.room}"]`);
    await bob.page.waitForSelector(`[data-testid=room-title]:text("${names.room}")`);
    await bob.page.waitForSelector(`[data-testid=room-item][data-room-name="${names.room}"]`);
  });

  it("alice types and sends: bob sees her typing, then the message; alice sees it confirmed with seq 1, then bob's read receipt", async () => {
    await alice.page.locator("[data-testid=composer]").pressSequentially("hello bob", { delay: 20 });
    await bob.page.waitForSelector(`[data-testid=typing-indicator]:has-text("${names.alice} is typing")`, { timeout: TIMEOUT });
    await alice.page.click("[data-testid=send]");

    await message(bob.page, "hello bob").waitFor({ timeout: TIMEOUT });
    await alice.page.waitForSelector("[data-testid=message][data-status=sent][data-seq='1']", { timeout: TIMEOUT });
    await alice.page.waitForSelector(`[data-testid=receipt]:has-text("Seen by ${names.bob}")`, { timeout: TIMEOUT });
    expect(await bob.page.locator("[data-testid=typing-indicator]").textContent()).toBe("");
    // Presence: alice is online in bob's view of the room.
    await message(bob.page, "hello bob").locator("[data-testid=presence-dot][data-online=true]").waitFor({ timeout: TIMEOUT });
  });

  it("a message in a room bob is not looking at counts as unread until he opens it", async () => {
    await alice.page.click(`[data-testid=room-item][data-room-name="${names.side}"]`);
    await alice.page.fill("[data-testid=composer]", "over here");
    await alice.page.click("[data-testid=send]");
    const side = bob.page.locator(`[data-testid=room-item][data-room-name="${names.side}"]`);
    await side.locator("[data-testid=unread]:text('1')").waitFor({ timeout: TIMEOUT });
    await side.click();
    await message(bob.page, "over here").waitFor({ timeout: TIMEOUT });
    await side.locator("[data-testid=unread]").waitFor({ state: "detached", timeout: TIMEOUT });
    for (const p of [alice.page, bob.page]) await p.click(`[data-testid=room-item][data-room-name="${names.room}"]`);
    await bob.page.waitForSelector(`[data-testid=room-title]:text("${names.room}")`);
  });

  it("a message alice edits, then deletes, shows so in both browsers", async () => {
    const mine = message(alice.page, "hello bob");
    await mine.hover();
    await mine.locator("[data-testid=edit]").click();
    await alice.page.fill("[data-testid=edit-input]", "hello bob, edited");
    await alice.page.press("[data-testid=edit-input]", "Enter");
    for (const p of [alice.page, bob.page]) {
      await message(p, "hello bob, edited").locator("[data-testid=edited]").waitFor({ timeout: TIMEOUT });
    }

    const edited = message(alice.page, "hello bob, edited");
    await edited.hover();
    await edited.locator("[data-testid=delete]").click();
    for (const p of [alice.page, bob.page]) {
      await p.waitForSelector("[data-testid=message-body]:text('message deleted')", { timeout: TIMEOUT });
      expect(await message(p, "hello bob, edited").count()).toBe(0);
    }
  });

  it("bob's network is cut and restored: the banner shows, and every message alice sent meanwhile appears once, in order", async () => {
    await bob.context.setOffline(true);
    await bob.page.waitForSelector("[data-testid=banner][data-state=offline]", { timeout: TIMEOUT });
    const away = [1, 2, 3, 4, 5].map((i) => `while bob was away ${i}`);
    for (const text of away) {
      await alice.page.fill("[data-testid=composer]", text);
      await alice.page.click("[data-testid=send]");
      await message(alice.page, text).and(alice.page.locator("[data-status=sent]")).waitFor({ timeout: TIMEOUT });
    }
    expect((await bodies(bob.page)).filter((b) => b.startsWith("while bob was away"))).toEqual([]);

    await bob.context.setOffline(false);
    await bob.page.waitForSelector("[data-testid=banner]", { state: "detached", timeout: TIMEOUT });
    await message(bob.page, away[away.length - 1]).waitFor({ timeout: TIMEOUT });
    const seen = await bodies(bob.page);
    expect(seen.filter((b) => b.startsWith("while bob was away"))).toEqual(away);
    expect(new Set(seen).size).toBe(seen.length);
    // Bob has the room open, so what he caught up on is read: alice sees it.
    await message(alice.page, away[away.length - 1]).locator(`[data-testid=receipt]:has-text("${names.bob}")`)
      .waitFor({ timeout: TIMEOUT });
  });

  it("bob replies: alice sees it once, confirmed, with bob's presence dot online", async () => {
    await bob.page.fill("[data-testid=composer]", "back online, caught up");
    await bob.page.click("[data-testid=send]");
    const reply = message(alice.page, "back online, caught up");
    await reply.and(alice.page.locator("[data-status=sent]")).waitFor({ timeout: TIMEOUT });
    await reply.locator("[data-testid=presence-dot][data-online=true]").waitFor({ timeout: TIMEOUT });
    expect(await reply.count()).toBe(1);
    expect(await axeViolations(alice.page)).toEqual([]);
    await screenshot(alice.page, "chat.png");
  });

  it("bob's page is hidden: he is away for the others (get-presence, his dot in alice's view); shown again, he is back", async () => {
    const roomId = (await alice.page.locator(".room-id code").textContent())!;
    const watcher = await connected(unique("watcher"), "default");
    await watcher.joinRoom(roomId);
    const away = async () => (await watcher.getPresence(roomId)).away ?? [];
    const visibility = (page: Page, state: "hidden" | "visible") => page.evaluate((s) => {
      Object.defineProperty(document, "visibilityState", { value: s, configurable: true });
      Object.defineProperty(document, "hidden", { value: s === "hidden", configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);
    try {
      expect(await away()).toEqual([]);
      await visibility(bob.page, "hidden");
      await expect.poll(away, { timeout: TIMEOUT }).toEqual([names.bob]);
      expect((await watcher.getPresence(roomId)).online).toContain(names.bob);
      // Alice sees it by bob's messages: his dot says away (connected, not looking), not offline.
      const bobsDot = message(alice.page, "back online, caught up").locator("[data-testid=presence-dot]");
      await bobsDot.and(alice.page.locator("[data-away=true][data-online=true]")).waitFor({ timeout: TIMEOUT });
      expect(await bobsDot.getAttribute("title")).toBe("away");
      await visibility(bob.page, "visible");
      await expect.poll(away, { timeout: TIMEOUT }).toEqual([]);
      await bobsDot.and(alice.page.locator("[data-away=false][data-online=true]")).waitFor({ timeout: TIMEOUT });
    } finally {
      watcher.close();
    }
  });

  it("scrolling up in a long room loads the older messages page by page", async () => {
    const writer = await connected(unique("writer"), "default");
    const { room } = await writer.request("create-room", { name: unique("history"), kind: "public" });
    await writer.joinRoom(room.id);
    for (let i = 1; i <= 60; i++) await writer.sendMessage(room.id, `old news ${i}`).result;
    writer.close();

    await bob.page.fill("input[name=room-id]", room.id);
    await bob.page.press("input[name=room-id]", "Enter");
    await message(bob.page, "old news 60").waitFor({ timeout: TIMEOUT });
    expect(await message(bob.page, "old news 1").count()).toBe(0);
    const list = bob.page.locator("[data-testid=messages]");
    await list.evaluate((el) => (el.scrollTop = 0));
    await message(bob.page, "old news 1").waitFor({ state: "attached", timeout: TIMEOUT });
    const seen = (await bodies(bob.page)).filter((b) => b.startsWith("old news "));
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => `old news ${i + 1}`));
  });

  it("no page logged a console error (a Content-Security-Policy violation, a failed request) or threw", () => {
    expect([...alice.problems, ...bob.problems]).toEqual([]);
  });
});
