// The React example (examples/react-chat), built only on @switchboard/react, as a newcomer runs it:
// bundled by vite and served by vite's preview server, which forwards the socket and /dev/token to
// the running gateway. Two users chat in two browser contexts.
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { URL, connected, unique } from "../support/gateway";
import { launch, open, screenshot, type WatchedPage } from "./browser";

const CONFIG = fileURLToPath(new globalThis.URL("../../examples/react-chat/vite.config.ts", import.meta.url));
const TIMEOUT = 15_000;
const names = { alice: unique("alice"), bob: unique("bob"), room: unique("react-room") };
let server: PreviewServer;
let base: string;
let browser: Browser;
let alice: WatchedPage;
let bob: WatchedPage;

const message = (page: Page, text: string) => page.locator("[data-testid=message]", {
  has: page.locator("[data-testid=message-body]", { hasText: new RegExp(`^${text}$`) }),
});
const bodies = (page: Page) => page.locator("[data-testid=message-body]").allTextContents();

async function signIn(user: string): Promise<WatchedPage> {
  const w = await open(browser, "/", "desktop", base);
  await w.page.fill("input[name=user]", user);
  await w.page.click("button[type=submit]");
  await w.page.waitForSelector("[data-testid=connection][data-state=connected]", { timeout: TIMEOUT });
  return w;
}

beforeAll(async () => {
  // The example's config forwards to SWITCHBOARD_URL.
  process.env.SWITCHBOARD_URL = URL;
  // A production bundle, as `vite build` makes it (vitest sets NODE_ENV=test, which would keep React's development build).
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: CONFIG, logLevel: "warn", mode: "production" });
  } finally {
    process.env.NODE_ENV = env;
  }
  server = await preview({ configFile: CONFIG, logLevel: "warn", preview: { host: "127.0.0.1", port: 0 } });
  base = server.resolvedUrls!.local[0].replace(/\/$/, "");
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the React example in two browsers", () => {
  it("bob signs in; alice signs in and creates a room with him: it shows in his list at once, and each sees the other online", async () => {
    bob = await signIn(names.bob);
    alice = await signIn(names.alice);
    await alice.page.fill("input[name=name]", names.room);
    await alice.page.fill("input[name=members]", names.bob);
    await alice.page.click("[data-testid=new-room] button[type=submit]");
    await alice.page.waitForSelector(`[data-testid=room-title]:text("${names.room}")`);

    await bob.page.click(`[data-testid=room-item][data-room-name="${names.room}"]`, { timeout: TIMEOUT });
    await bob.page.waitForSelector("[data-testid=composer]:enabled");
    for (const p of [alice.page, bob.page]) {
      await p.waitForSelector(`[data-testid=online]:has-text("${names.alice}"):has-text("${names.bob}")`, { timeout: TIMEOUT });
    }
  });

  it("alice types and sends: bob sees her typing, then the message, unread until he marks it read; alice sees it stored with seq 1", async () => {
    await alice.page.locator("[data-testid=composer]").pressSequentially("hello bob", { delay: 20 });
    await bob.page.waitForSelector(`[data-testid=typing]:has-text("${names.alice} typing")`, { timeout: TIMEOUT });
    await alice.page.click("[data-testid=send]");

    await message(bob.page, "hello bob").waitFor({ timeout: TIMEOUT });
    await alice.page.waitForSelector("[data-testid=message][data-status=sent][data-seq='1'][data-mine=true]", { timeout: TIMEOUT });
    await bob.page.waitForSelector("[data-testid=message][data-status=sent][data-seq='1'][data-mine=false]", { timeout: TIMEOUT });
    expect(await bob.page.locator("[data-testid=typing]").textContent()).toBe("");
    await bob.page.waitForSelector("[data-testid=unread]:text('1')");
    await bob.page.click("button:text('Mark read')");
    await bob.page.waitForSelector("[data-testid=unread]:text('0')", { timeout: TIMEOUT });

    await bob.page.fill("[data-testid=composer]", "hi alice");
    await bob.page.press("[data-testid=composer]", "Enter");
    await message(alice.page, "hi alice").waitFor({ timeout: TIMEOUT });
    expect(await bodies(alice.page)).toEqual(["hello bob", "hi alice"]);
    await screenshot(alice.page, "react-example-alice.png");
  });

  it("bob goes offline: his page says so; what alice sends meanwhile comes once when he is back", async () => {
    await bob.context.setOffline(true);
    await bob.page.waitForSelector("[data-testid=connection][data-state=offline]", { timeout: TIMEOUT });
    await alice.page.fill("[data-testid=composer]", "while you were away");
    await alice.page.click("[data-testid=send]");
    await alice.page.waitForSelector("[data-testid=message][data-status=sent][data-seq='3']", { timeout: TIMEOUT });
    await bob.context.setOffline(false);
    await bob.page.waitForSelector("[data-testid=connection][data-state=connected]", { timeout: TIMEOUT });
    await message(bob.page, "while you were away").waitFor({ timeout: TIMEOUT });
    expect(await bodies(bob.page)).toEqual(["hello bob", "hi alice", "while you were away"]);
  });

  it("after a reload bob sees the latest page of 20, and the older messages on demand", async () => {
    // Alice's messages from a script (her tenant is the default one: no tenant in the token).
    const script = await connected(names.alice, "");
    try {
      const roomId = (await script.request("list-rooms", {})).rooms.find((r) => r.name === names.room)!.id;
      await script.joinRoom(roomId);
      for (let i = 1; i <= 20; i++) await script.sendMessage(roomId, `more ${i}`).result;
    } finally {
      script.close();
    }
    await bob.page.reload();
    await bob.page.fill("input[name=user]", names.bob);
    await bob.page.click("button[type=submit]");
    await bob.page.click(`[data-testid=room-item][data-room-name="${names.room}"]`, { timeout: TIMEOUT });
    await message(bob.page, "more 20").waitFor({ timeout: TIMEOUT });
    expect(await bodies(bob.page)).toHaveLength(20);
    expect((await bodies(bob.page))[0]).toBe("more 1");
    await bob.page.click("[data-testid=load-older]");
    await message(bob.page, "hello bob").waitFor({ timeout: TIMEOUT });
    expect(await bodies(bob.page)).toEqual(["hello bob", "hi alice", "while you were away", ...Array.from({ length: 20 }, (_, i) => `more ${i + 1}`)]);
    await bob.page.waitForSelector("[data-testid=load-older]", { state: "detached" });
  });

  it("no console error on either page", () => {
    expect([...alice.problems, ...bob.problems]).toEqual([]);
  });
});
