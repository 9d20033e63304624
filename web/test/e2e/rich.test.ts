import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { unique } from "../support/gateway";
import { axeViolations, launch, screenshot, signIn, type WatchedPage } from "./browser";

const TIMEOUT = 15_000;
let browser: Browser;
let ann: WatchedPage;
let ben: WatchedPage;
const names = { ann: unique("ann"), ben: unique("ben"), room: unique("launch"), word: unique("rocket").replace(/-/g, "") };

const message = (p: Page, body: string) => p.locator("[data-testid=messages] [data-testid=message]", {
  has: p.locator(`[data-testid=message-body]:text-is("${body}")`),
});
const reaction = (p: Page, body: string, emoji: string) => message(p, body).locator(`[data-testid=reaction][data-emoji="${emoji}"]`);

async function send(p: Page, body: string): Promise<void> {
  await p.fill("[data-testid=composer]", body);
  await p.click("[data-testid=send]");
  await message(p, body).and(p.locator("[data-status=sent]")).waitFor({ timeout: TIMEOUT });
}

beforeAll(async () => {
  browser = await launch();
  [ann, ben] = [await signIn(browser, names.ann), await signIn(browser, names.ben)];
  await ann.page.fill("input[name=room-name]", names.room);
  await ann.page.selectOption("select[name=room-kind]", "group");
  await ann.page.fill("input[name=room-members]", names.ben);
  await ann.page.click("[data-testid=new-room] button[type=submit]");
  await ann.page.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`);
  await ben.page.locator(`[data-testid=room-item][data-room-name="${names.room}"]`).click();
  await ben.page.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`);
});

afterAll(async () => {
  await browser?.close();
});

describe("rich messages in the chat app: reactions, threads, search", () => {
  it("a reaction shows live on the other page with its count; pressing it again takes it back; the picker is keyboard-usable", async () => {
    const body = `ship the ${names.word} today?`;
    await send(ann.page, body);
    await message(ben.page, body).waitFor({ timeout: TIMEOUT });
    await message(ben.page, body).focus();
    await message(ben.page, body).locator("[data-testid=add-reaction]").click();
    await message(ben.page, body).locator("[data-testid=pick][data-emoji='👍']").click();

    await reaction(ben.page, body, "👍").and(ben.page.locator("[aria-pressed=true][data-count='1']")).waitFor({ timeout: TIMEOUT });
    await reaction(ann.page, body, "👍").and(ann.page.locator("[aria-pressed=false][data-count='1']")).waitFor({ timeout: TIMEOUT });
    await reaction(ann.page, body, "👍").click();
    await reaction(ben.page, body, "👍").and(ben.page.locator("[data-count='2']")).waitFor({ timeout: TIMEOUT });
    await reaction(ann.page, body, "👍").and(ann.page.locator("[aria-pressed=true][data-count='2']")).waitFor({ timeout: TIMEOUT });

    await message(ann.page, body).locator("[data-testid=add-reaction]").focus();
    await ann.page.keyboard.press("Enter");
    // The first pick has the focus: Tab to the fourth, 🎉.
    for (let i = 0; i < 3; i++) await ann.page.keyboard.press("Tab");
    expect(await ann.page.evaluate(() => document.activeElement?.getAttribute("data-emoji"))).toBe("🎉");
    await ann.page.keyboard.press("Enter");
    await reaction(ben.page, body, "🎉").waitFor({ timeout: TIMEOUT });
    await reaction(ben.page, body, "👍").click();
    await reaction(ann.page, body, "👍").and(ann.page.locator("[data-count='1']")).waitFor({ timeout: TIMEOUT });
    expect(await axeViolations(ann.page)).toEqual([]);
  });

  it("a reply in a thread: the other page sees the count on the message, opens the thread and answers; replies stay out of the room's timeline", async () => {
    const root = "who reviews the launch checklist?";
    await send(ann.page, root);
    await message(ben.page, root).waitFor({ timeout: TIMEOUT });
    await message(ben.page, root).focus();
    await message(ben.page, root).locator("[data-testid=reply-in-thread]").click();
    const benThread = ben.page.locator("[data-testid=thread-panel]");
    await benThread.waitFor({ timeout: TIMEOUT });
    await benThread.locator("[data-testid=thread-composer]").fill("I will, after lunch");
    await benThread.locator("button[type=submit]").click();
    await benThread.locator("[data-testid=thread-replies] [data-testid=message-body]:text-is('I will, after lunch')").waitFor({ timeout: TIMEOUT });

    const link = message(ann.page, root).locator("[data-testid=thread-link][data-replies='1']");
    await link.waitFor({ timeout: TIMEOUT });
    expect(await message(ann.page, "I will, after lunch").count()).toBe(0);
    await link.click();
    const annThread = ann.page.locator("[data-testid=thread-panel]");
    await annThread.locator("[data-testid=thread-replies] [data-testid=message-body]:text-is('I will, after lunch')").waitFor({ timeout: TIMEOUT });
    await annThread.locator("[data-testid=thread-composer]").fill("thanks!");
    await annThread.locator("button[type=submit]").click();
    await benThread.locator("[data-testid=thread-replies] [data-testid=message-body]:text-is('thanks!')").waitFor({ timeout: TIMEOUT });
    await message(ben.page, root).locator("[data-testid=thread-link][data-replies='2']").waitFor({ timeout: TIMEOUT });
    expect(await axeViolations(ann.page)).toEqual([]);
    await screenshot(ann.page, "rich.png");
    await ann.page.keyboard.press("Escape");
    await annThread.waitFor({ state: "detached", timeout: TIMEOUT });
  });

  it("search finds a message of the user's rooms by a word and opens its room", async () => {
    await ben.page.click("[data-testid=search-messages]");
    const dialog = ben.page.locator("[data-testid=search-messages-dialog]");
    await dialog.locator("[data-testid=message-search-input]").fill(names.word);
    await ben.page.keyboard.press("Enter");
    const result = dialog.locator("[data-testid=message-search-result]");
    await result.first().waitFor({ timeout: TIMEOUT });
    expect(await result.count()).toBe(1);
    expect(await result.locator("[data-testid=message-search-body]").textContent()).toBe(`ship the ${names.word} today?`);
    expect(await axeViolations(ben.page)).toEqual([]);
    await dialog.locator("[data-testid=message-search-input]").fill("zzzznothing");
    await ben.page.keyboard.press("Enter");
    await dialog.locator("[data-testid=no-message-results]").waitFor({ timeout: TIMEOUT });
    await ben.page.keyboard.press("Escape");
    expect(ann.problems.concat(ben.problems)).toEqual([]);
  });
});
