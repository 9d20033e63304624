import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { unique, URL } from "../support/gateway";
import { axeViolations, launch, open, screenshot, signIn, type WatchedPage } from "./browser";

const TIMEOUT = 15_000;
let browser: Browser;
/** On a phone. */
let alice: WatchedPage;
/** On a laptop. */
let bob: WatchedPage;
const names = { alice: unique("alice"), bob: unique("bob"), room: unique("pocket") };

const message = (page: Page, text: string) => page.locator("[data-testid=message]", {
  has: page.locator("[data-testid=message-body]", { hasText: text }),
});
const roomItem = (p: Page, name: string) => p.locator(`[data-testid=room-item][data-room-name="${name}"]`);

/** No axe-core violation on the view as it shows now. */
async function accessible(p: Page): Promise<void> {
  expect(await axeViolations(p)).toEqual([]);
}

/** Waits until the focused element is the one of this data-testid. */
async function focused(p: Page, testId: string): Promise<void> {
  await expect.poll(() => p.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(testId);
}

/** The visible buttons, fields and links under `root` that are smaller than 44 x 44 CSS pixels (44 high for fields). */
async function smallTargets(root: Locator): Promise<string[]> {
  return root.evaluate((el) => [...el.querySelectorAll<HTMLElement>("button, input, select, textarea, a[href]")]
    .filter((e) => e.offsetParent !== null && getComputedStyle(e).visibility === "visible")
    .map((e) => ({ e, r: e.getBoundingClientRect() }))
    .filter(({ e, r }) => r.height < 44 || (e.tagName === "BUTTON" && r.width < 44))
    .map(({ e, r }) => `${e.tagName.toLowerCase()} «${e.textContent?.trim() || e.getAttribute("aria-label") || e.getAttribute("name")}» ${Math.round(r.width)}x${Math.round(r.height)}`));
}

/** Whether the element's box lies inside the viewport of a 390 x 844 phone. */
async function onScreen(l: Locator): Promise<boolean> {
  const box = await l.boundingBox();
  return box != null && box.x >= 0 && box.y >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844;
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe("the chat app on a 390 x 844 phone, with a laptop user beside", () => {
  it("the sign-in page asks whether dev mode is on without a failed request, and passes axe-core", async () => {
    alice = await open(browser, "/", "phone");
    await alice.page.waitForSelector("input[name=user]");
    await accessible(alice.page);
    expect(alice.problems).toEqual([]);
  });

  it("signed in, the phone shows the room list on the whole screen; a new room takes the screen, its name focused, the composer on screen", async () => {
    await alice.page.fill("input[name=user]", names.alice);
    await alice.page.press("input[name=user]", "Enter");
    await alice.page.waitForSelector("[data-testid=me]");
    const sidebar = alice.page.locator(".sidebar");
    expect((await sidebar.boundingBox())!.width).toBe(390);
    await accessible(alice.page);
    expect(await smallTargets(sidebar)).toEqual([]);

    await alice.page.fill("input[name=room-name]", names.room);
    await alice.page.press("input[name=room-name]", "Enter");
    await alice.page.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`);
    expect(await sidebar.isVisible()).toBe(false);
    await focused(alice.page, "room-title");
    expect((await alice.page.locator("[data-testid=messages]").boundingBox())!.width).toBe(390);
    expect(await onScreen(alice.page.locator("[data-testid=composer]"))).toBe(true);
    expect(await onScreen(alice.page.locator("[data-testid=back]"))).toBe(true);
    expect(await smallTargets(alice.page.locator("main.room"))).toEqual([]);
    await accessible(alice.page);
  });

  it("bob, on a laptop, joins; alice sends with the keyboard only and bob sees it; his reply is announced in alice's message log", async () => {
    bob = await signIn(browser, names.bob);
    await bob.page.click(`[data-testid=join-room][data-room-name="${names.room}"]`);
    await bob.page.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`);
    // Both views side by side on a laptop.
    expect(await bob.page.locator(".sidebar").isVisible()).toBe(true);
    expect(await bob.page.locator("[data-testid=back]").isVisible()).toBe(false);

    await alice.page.locator("[data-testid=composer]").focus();
    await alice.page.keyboard.type("hi from my phone");
    await alice.page.keyboard.press("Enter");
    await message(bob.page, "hi from my phone").waitFor({ timeout: TIMEOUT });
    await alice.page.waitForSelector("[data-testid=message][data-status=sent]", { timeout: TIMEOUT });

    await bob.page.fill("[data-testid=composer]", "hello phone");
    await bob.page.press("[data-testid=composer]", "Enter");
    await message(alice.page, "hello phone").waitFor({ timeout: TIMEOUT });
    expect(await alice.page.locator("[data-testid=messages]").getAttribute("role")).toBe("log");
    expect(await alice.page.locator("[data-testid=typing-indicator]").getAttribute("role")).toBe("status");
    await accessible(alice.page);
    await accessible(bob.page);
    await screenshot(alice.page, "phone-chat.png");
  });

  it("with the on-screen keyboard up (the page resized to 390 x 420, as interactive-widget=resizes-content does), the composer and the newest message stay on screen", async () => {
    expect(await alice.page.locator("meta[name=viewport]").getAttribute("content")).toContain("interactive-widget=resizes-content");
    await alice.page.setViewportSize({ width: 390, height: 420 });
    try {
      const composer = await alice.page.locator("[data-testid=composer]").boundingBox();
      expect(composer!.y + composer!.height).toBeLessThanOrEqual(420);
      const newest = await message(alice.page, "hello phone").boundingBox();
      expect(newest!.y).toBeGreaterThan(0);
      expect(newest!.y + newest!.height).toBeLessThanOrEqual(composer!.y);
    } finally {
      await alice.page.setViewportSize({ width: 390, height: 844 });
    }
  });

  it("bob edits his message with the keyboard only: Tab reaches the message and its actions", async () => {
    await message(bob.page, "hello phone").focus();
    await bob.page.keyboard.press("Tab");
    await focused(bob.page, "edit");
    await bob.page.keyboard.press("Enter");
    await focused(bob.page, "edit-input");
    await accessible(bob.page);
    await bob.page.keyboard.press("End");
    await bob.page.keyboard.type(", edited");
    await bob.page.keyboard.press("Enter");
    await message(alice.page, "hello phone, edited").locator("[data-testid=edited]").waitFor({ timeout: TIMEOUT });
  });

  it("alice taps her message on the phone: its actions show, large enough for a finger, and she deletes it", async () => {
    const mine = message(alice.page, "hi from my phone");
    await mine.tap();
    const del = mine.locator("[data-testid=delete]");
    await del.waitFor({ state: "visible" });
    expect(await smallTargets(mine)).toEqual([]);
    await del.tap();
    await alice.page.waitForSelector("[data-testid=message-body]:text('message deleted')", { timeout: TIMEOUT });
  });

  it("back on the room list, a message bob sends counts as unread, in the list and in the tab's title, until alice opens the room", async () => {
    await alice.page.click("[data-testid=back]");
    await alice.page.locator(".sidebar").waitFor();
    expect(await alice.page.locator("main.room").isVisible()).toBe(false);
    // The focus lands on the room she came from.
    await expect.poll(() => alice.page.evaluate(() => document.activeElement?.getAttribute("data-room-name"))).toBe(names.room);

    await bob.page.fill("[data-testid=composer]", "are you there?");
    await bob.page.press("[data-testid=composer]", "Enter");
    await roomItem(alice.page, names.room).locator("[data-testid=unread]:text-is('1')").waitFor({ timeout: TIMEOUT });
    await expect.poll(() => alice.page.title(), { timeout: TIMEOUT }).toBe("(1) Switchboard");
    await accessible(alice.page);
    await screenshot(alice.page, "phone-rooms.png");

    await alice.page.keyboard.press("Enter"); // the focused room item
    await message(alice.page, "are you there?").waitFor({ timeout: TIMEOUT });
    await roomItem(alice.page, names.room).locator("[data-testid=unread]").waitFor({ state: "detached", timeout: TIMEOUT });
    await expect.poll(() => alice.page.title(), { timeout: TIMEOUT }).toBe("Switchboard");
  });

  it("the room's details cover the phone's screen and close with Escape, the focus back on their button; the confirm dialog too", async () => {
    await alice.page.click("[data-testid=room-details]");
    const panel = alice.page.locator("[data-testid=room-panel]");
    await panel.locator("[data-testid=members]").waitFor({ timeout: TIMEOUT });
    expect((await panel.boundingBox())!.width).toBe(390);
    expect(await smallTargets(panel)).toEqual([]);
    // A modal there: Tab goes round its controls, never to the room behind it.
    for (let i = 0; i < 25; i++) {
      await alice.page.keyboard.press("Tab");
      expect(await panel.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await accessible(alice.page);

    await panel.locator("[data-testid=delete-room]").click();
    await alice.page.locator("[data-testid=confirm-dialog]").waitFor();
    await focused(alice.page, "confirm-cancel");
    await accessible(alice.page);
    await alice.page.keyboard.press("Escape");
    await alice.page.locator("[data-testid=confirm-dialog]").waitFor({ state: "detached" });

    await alice.page.keyboard.press("Escape");
    await panel.waitFor({ state: "detached" });
    await focused(alice.page, "room-details");
  });

  it("the dialogs open from the keyboard, keep the focus inside, pass axe-core, and close with Escape (bob, on the laptop)", async () => {
    for (const [button, dialog] of [["browse-rooms", "browse-dialog"], ["blocked-users", "blocks-dialog"]]) {
      await bob.page.locator(`[data-testid=${button}]`).focus();
      await bob.page.keyboard.press("Enter");
      const d = bob.page.locator(`[data-testid=${dialog}]`);
      await d.waitFor();
      // The dialog takes the focus as it opens (a frame after it shows: wait for it, as a user's next key would).
      await bob.page.waitForFunction((sel) => document.querySelector(sel)?.contains(document.activeElement) ?? false,
        `[data-testid=${dialog}]`, { timeout: TIMEOUT });
      // Once its first page has come: a list re-rendered under the focus moves it, as any page would.
      await d.locator("[aria-busy=true]").waitFor({ state: "detached", timeout: TIMEOUT });
      for (let i = 0; i < 8; i++) {
        await bob.page.keyboard.press("Tab");
        // Focus that left the dialog never comes back by itself: polling only waits out a render.
        await expect.poll(() => d.evaluate((el) => el.contains(document.activeElement)), { timeout: 2000 }).toBe(true);
      }
      await accessible(bob.page);
      await bob.page.keyboard.press("Escape");
      await d.waitFor({ state: "detached" });
      await focused(bob.page, button);
    }
    await bob.page.click("[data-testid=room-details]");
    await bob.page.locator("[data-testid=room-panel] [data-testid=members]").waitFor({ timeout: TIMEOUT });
    await accessible(bob.page);
    await bob.page.keyboard.press("Escape");
  });

  it("offline, the room list shows the offline banner; a reload shows the app and its offline banner (the service worker serves the shell); online again, alice is back in her rooms", async () => {
    await alice.page.evaluate(() => navigator.serviceWorker.ready);
    await alice.page.waitForFunction(() => navigator.serviceWorker.controller != null);
    // On the room list, the connection's banner heads the list.
    await alice.page.click("[data-testid=back]");
    await alice.context.setOffline(true);
    await alice.page.locator(".sidebar [data-testid=banner][data-state=offline]").waitFor({ timeout: TIMEOUT });
    await alice.page.reload();
    await alice.page.waitForSelector("[data-testid=banner][data-state=offline]", { timeout: TIMEOUT });
    await accessible(alice.page);
    await alice.context.setOffline(false);
    await roomItem(alice.page, names.room).waitFor({ timeout: TIMEOUT });
    await alice.page.waitForSelector("[data-testid=banner]", { state: "detached", timeout: TIMEOUT });
  });

  it("the app can be installed: a manifest with icons, a theme colour", async () => {
    const manifest = await (await fetch(`${URL}/manifest.json`)).json();
    expect(manifest).toMatchObject({ name: "Switchboard", start_url: "/", display: "standalone" });
    for (const icon of manifest.icons) expect((await fetch(`${URL}${icon.src}`)).status).toBe(200);
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  });

  it("no page logged a console error (no failed request among them) or threw", () => {
    expect([...alice.problems, ...bob.problems]).toEqual([]);
  });
});
