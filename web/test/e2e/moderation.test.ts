import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import type { SwitchboardClient } from "../../src/lib";
import { connected, unique } from "../support/gateway";
import { axeViolations, launch, screenshot, signIn, type WatchedPage } from "./browser";

const TIMEOUT = 15_000;
let browser: Browser;
/** The owner, a member she mutes and holds to slow mode, and an admin who may mute members only and who blocks the member. */
let olivia: WatchedPage;
let mia: WatchedPage;
let ada: WatchedPage;
/** Mia's other device: the library, in Node. */
let miaPhone: SwitchboardClient | undefined;
const pages: WatchedPage[] = [];
const names = { olivia: unique("olivia"), mia: unique("mia"), ada: unique("ada"), room: unique("mods") };
let roomId = "";

const roomItem = (p: Page, name: string) => p.locator(`[data-testid=room-item][data-room-name="${name}"]`);
const systemNotice = (p: Page, text: string | RegExp) => p.locator("[data-testid=system-message]", { hasText: text });
const member = (p: Page, user: string) => p.locator(`[data-testid=room-panel] [data-testid=member][data-user="${user}"]`);
const message = (p: Page, body: string) => p.locator("[data-testid=message]", { has: p.locator(`[data-testid=message-body]:text-is("${body}")`) });
const mutedNote = (p: Page) => p.locator("[data-testid=muted-note]");
const waiting = (p: Page) => p.locator("[data-testid=slow-mode-note][data-wait=true]");
const lastLine = (p: Page) => p.locator("[data-testid=messages] > :last-child");

async function user(name: string): Promise<WatchedPage> {
  const w = await signIn(browser, name);
  pages.push(w);
  return w;
}

async function openRoom(p: Page, name: string): Promise<void> {
  await roomItem(p, name).click();
  await p.waitForSelector(`[data-testid=room-title]:text-is("${name}")`, { timeout: TIMEOUT });
}

async function openPanel(p: Page): Promise<void> {
  if (!(await p.locator("[data-testid=room-panel]").isVisible())) await p.click("[data-testid=room-details]");
  await p.locator("[data-testid=room-panel] [data-testid=members]").waitFor({ timeout: TIMEOUT });
}

async function send(p: Page, body: string): Promise<void> {
  await p.fill("[data-testid=composer]", body);
  await p.click("[data-testid=send]");
}

/** Mutes a member from the members panel: `choose` picks the length in the form. */
async function mute(p: Page, userId: string, choose: (form: Locator) => Promise<unknown>): Promise<void> {
  await member(p, userId).locator("[data-testid=mute-member]").click();
  const form = member(p, userId).locator("[data-testid=mute-form]");
  await choose(form);
  await form.locator("[data-testid=mute-confirm]").click();
  await p.locator("[data-testid=panel-status]", { hasText: `${userId} is muted until` }).waitFor({ timeout: TIMEOUT });
}

/** A time as the page shows it: hours and minutes in the browser's locale (after the date, on another day than today). */
function shownTime(p: Page, iso: string): Promise<string> {
  return p.evaluate((at) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), iso);
}

/** A mute's end as a badge shows it: the time today, the date on another day. */
function shownShort(p: Page, iso: string): Promise<string> {
  return p.evaluate((at) => {
    const d = new Date(at);
    return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
      : d.toLocaleDateString([], { day: "numeric", month: "short" });
  }, iso);
}

/** A sentence that ends a mute at `time` (hours and minutes), with the date before it when that is not today. */
const until = (prefix: string, time: string, suffix = "") => new RegExp(`${prefix} until (.+, )?${time}${suffix.replace(".", "\\.")}`);

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  miaPhone?.close();
  await browser?.close();
});

describe("moderation in the chat app: mutes, slow mode and blocks", () => {
  it("the owner makes a room with a member and an admin: the owner may mute both, the admin only the member, the member nobody", async () => {
    [olivia, mia, ada] = [await user(names.olivia), await user(names.mia), await user(names.ada)];
    await olivia.page.fill("input[name=room-name]", names.room);
    await olivia.page.selectOption("select[name=room-kind]", "group");
    await olivia.page.click("[data-testid=new-room] button[type=submit]");
    await olivia.page.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`);
    roomId = (await olivia.page.locator("[data-testid=room-title] ~ .muted code").textContent()) ?? "";
    await openPanel(olivia.page);
    await olivia.page.fill("[data-testid=add-members-input]", `${names.mia}, ${names.ada}`);
    await olivia.page.click("[data-testid=add-members-submit]");
    await member(olivia.page, names.ada).locator("[data-testid=make-admin]").click();
    await member(olivia.page, names.ada).and(olivia.page.locator("[data-role=admin]")).waitFor({ timeout: TIMEOUT });
    for (const w of [mia, ada]) {
      await openRoom(w.page, names.room);
      await openPanel(w.page);
    }
    await member(ada.page, names.ada).and(ada.page.locator("[data-role=admin]")).waitFor({ timeout: TIMEOUT });

    expect(await member(olivia.page, names.mia).locator("[data-testid=mute-member]").count()).toBe(1);
    expect(await member(olivia.page, names.ada).locator("[data-testid=mute-member]").count()).toBe(1);
    expect(await member(ada.page, names.mia).locator("[data-testid=mute-member]").count()).toBe(1);
    expect(await member(ada.page, names.olivia).locator("[data-testid=mute-member]").count()).toBe(0);
    expect(await mia.page.locator("[data-testid=mute-member]").count()).toBe(0);
    expect(await mutedNote(mia.page).count()).toBe(0);
  });

  it("the owner mutes the member for an hour: live, her composer is disabled and says until when, and everyone sees the muted badge and the notice", async () => {
    await mute(olivia.page, names.mia, (form) => form.locator("[data-testid=mute-duration]").selectOption("3600"));

    const note = mutedNote(mia.page);
    await note.waitFor({ timeout: TIMEOUT });
    const end = (await note.getAttribute("data-until"))!;
    expect(Date.parse(end) - Date.now()).toBeGreaterThan(3_500_000);
    expect(Date.parse(end) - Date.now()).toBeLessThanOrEqual(3_600_000);
    const time = await shownTime(mia.page, end);
    expect(await note.textContent()).toMatch(until("^You are muted in this room", time, " "));
    expect(await mia.page.locator("[data-testid=composer]").isDisabled()).toBe(true);
    expect(await mia.page.locator("[data-testid=send]").isDisabled()).toBe(true);

    for (const p of [olivia.page, mia.page, ada.page]) {
      const badge = member(p, names.mia).locator("[data-testid=muted-badge]");
      await badge.waitFor({ timeout: TIMEOUT });
      expect(await badge.textContent()).toBe(`muted until ${await shownShort(p, end)}`);
      await systemNotice(p, until(`${names.olivia} muted ${names.mia}`, time)).waitFor({ timeout: TIMEOUT });
    }
    // The owner's own composer is open.
    expect(await olivia.page.locator("[data-testid=composer]").isDisabled()).toBe(false);
  });

  it("the admin unmutes her: her composer opens at once, the badge goes, and her message reaches the others", async () => {
    await member(ada.page, names.mia).locator("[data-testid=unmute-member]").click();

    await mutedNote(mia.page).waitFor({ state: "detached", timeout: TIMEOUT });
    expect(await mia.page.locator("[data-testid=composer]").isDisabled()).toBe(false);
    await member(olivia.page, names.mia).locator("[data-testid=muted-badge]").waitFor({ state: "detached", timeout: TIMEOUT });
    await systemNotice(mia.page, `${names.ada} unmuted ${names.mia}`).waitFor({ timeout: TIMEOUT });
    await send(mia.page, "thanks, I will keep it short");
    await message(olivia.page, "thanks, I will keep it short").waitFor({ timeout: TIMEOUT });
  });

  it("a short custom mute ends by itself: the composer opens again when its time passes, without any event", async () => {
    await mute(olivia.page, names.mia, async (form) => {
      await form.locator("[data-testid=mute-duration]").selectOption("0");
      await form.locator("[data-testid=mute-amount]").fill("4");
      await form.locator("[data-testid=mute-unit]").selectOption("1");
    });
    await mutedNote(mia.page).waitFor({ timeout: TIMEOUT });
    expect(await mia.page.locator("[data-testid=composer]").isDisabled()).toBe(true);

    await mutedNote(mia.page).waitFor({ state: "detached", timeout: TIMEOUT });
    expect(await mia.page.locator("[data-testid=composer]").isDisabled()).toBe(false);
    await member(olivia.page, names.mia).locator("[data-testid=muted-badge]").waitFor({ state: "detached", timeout: TIMEOUT });
    expect(await systemNotice(mia.page, `unmuted ${names.mia}`).count()).toBe(1);
  });

  it("a message sent while offline and muted meanwhile is refused when the network is back: the line says why and until when", async () => {
    await mia.context.setOffline(true);
    await mia.page.waitForSelector("[data-testid=banner][data-state=offline]", { timeout: TIMEOUT });
    await send(mia.page, "written on the train");
    await message(mia.page, "written on the train").and(mia.page.locator("[data-status=pending]")).waitFor({ timeout: TIMEOUT });
    await mute(olivia.page, names.mia, (form) => form.locator("[data-testid=mute-duration]").selectOption("300"));
    const end = (await member(olivia.page, names.mia).locator("[data-testid=muted-badge]").getAttribute("data-until"))!;

    await mia.context.setOffline(false);
    const line = message(mia.page, "written on the train").and(mia.page.locator("[data-status=failed]"));
    await line.waitFor({ timeout: TIMEOUT });
    expect(await line.locator("[data-testid=message-error]").textContent())
      .toMatch(until("^You are muted in this room", await shownTime(mia.page, end), ".$"));
    await mutedNote(mia.page).waitFor({ timeout: TIMEOUT });
    expect(await message(olivia.page, "written on the train").count()).toBe(0);

    await member(olivia.page, names.mia).locator("[data-testid=unmute-member]").click();
    await mutedNote(mia.page).waitFor({ state: "detached", timeout: TIMEOUT });
  });

  it("the owner sets slow mode in the settings: the member's header shows it live; the owner, exempt, sends twice in a row", async () => {
    await olivia.page.selectOption("[data-testid=slow-mode-select]", "10");
    await olivia.page.click("[data-testid=save-room]");

    for (const p of [mia.page, ada.page]) {
      await p.locator("[data-testid=slow-mode-badge]", { hasText: "slow mode · 10 s" }).waitFor({ timeout: TIMEOUT });
      await systemNotice(p, `${names.olivia} set slow mode to one message per 10 s`).waitFor({ timeout: TIMEOUT });
    }
    await mia.page.locator("[data-testid=slow-mode-note][data-wait=false]", { hasText: "one message every 10 s" }).waitFor({ timeout: TIMEOUT });
    expect(await ada.page.inputValue("[data-testid=slow-mode-select]")).toBe("10");

    await send(olivia.page, "agenda: one");
    await send(olivia.page, "agenda: two");
    await message(mia.page, "agenda: two").waitFor({ timeout: TIMEOUT });
    expect(await olivia.page.locator("[data-testid=slow-mode-note]").count()).toBe(0);
    expect(await olivia.page.locator("[data-testid=message][data-status=failed]").count()).toBe(0);
  });

  it("slow mode holds the member's second quick send with a countdown: one from her other device counts, the refusal says how long to wait, and Retry sends it after", async () => {
    miaPhone = await connected(names.mia, "default");
    await miaPhone.joinRoom(roomId);
    await miaPhone.sendMessage(roomId, "from my phone").result;
    await message(olivia.page, "from my phone").waitFor({ timeout: TIMEOUT });

    await send(mia.page, "and from the laptop");
    const line = message(mia.page, "and from the laptop").and(mia.page.locator("[data-status=failed]"));
    await line.waitFor({ timeout: TIMEOUT });
    expect(await line.locator("[data-testid=message-error]").textContent())
      .toMatch(/^Slow mode allows one message every 10 s: wait ([1-9]|10) s before sending again\.$/);
    await waiting(mia.page).waitFor({ timeout: TIMEOUT });
    expect(await mia.page.locator("[data-testid=slow-mode-countdown]").textContent()).toMatch(/^([1-9]|10) s$/);
    await mia.page.fill("[data-testid=composer]", "typed while waiting");
    expect(await mia.page.locator("[data-testid=send]").isDisabled()).toBe(true);
    expect(await message(olivia.page, "and from the laptop").count()).toBe(0);

    await waiting(mia.page).waitFor({ state: "detached", timeout: TIMEOUT });
    expect(await mia.page.locator("[data-testid=send]").isDisabled()).toBe(false);
    await line.locator("[data-testid=retry]").click();
    await message(olivia.page, "and from the laptop").waitFor({ timeout: TIMEOUT });
    // Stored: the next wait starts, counted by the page itself.
    await waiting(mia.page).waitFor({ timeout: TIMEOUT });
    expect(await mia.page.locator("[data-testid=send]").isDisabled()).toBe(true);
  });

  it("the owner turns slow mode off: the member's countdown and the header badge go at once", async () => {
    await olivia.page.selectOption("[data-testid=slow-mode-select]", "0");
    await olivia.page.click("[data-testid=save-room]");

    await mia.page.locator("[data-testid=slow-mode-badge]").waitFor({ state: "detached", timeout: TIMEOUT });
    expect(await mia.page.locator("[data-testid=slow-mode-note]").count()).toBe(0);
    await systemNotice(mia.page, `${names.olivia} turned slow mode off`).waitFor({ timeout: TIMEOUT });
    await mia.page.click("[data-testid=send]");
    await message(olivia.page, "typed while waiting").waitFor({ timeout: TIMEOUT });
  });

  it("the admin blocks the member from one of her messages: what was shown of hers collapses into hidden lines, her new message comes hidden, the owner still reads it", async () => {
    const theirs = ada.page.locator(`[data-testid=message][data-sender="${names.mia}"]`);
    expect(await theirs.count()).toBeGreaterThan(0);
    await theirs.last().hover();
    await theirs.last().locator("[data-testid=block-sender]").click();

    await ada.page.locator("[data-testid=notice]", { hasText: `You blocked ${names.mia}` }).waitFor({ timeout: TIMEOUT });
    await theirs.first().waitFor({ state: "detached", timeout: TIMEOUT });
    await ada.page.locator(`[data-testid=hidden-messages][data-senders="${names.mia}"]`).first().waitFor({ timeout: TIMEOUT });
    await member(ada.page, names.mia).locator("[data-testid=blocked-badge]").waitFor({ timeout: TIMEOUT });
    expect(await ada.page.locator("[data-testid=blocked-users]").textContent()).toContain("(1)");

    await send(olivia.page, "noted, thanks");
    await message(ada.page, "noted, thanks").waitFor({ timeout: TIMEOUT });
    await send(mia.page, "can ada read this?");
    await message(olivia.page, "can ada read this?").waitFor({ timeout: TIMEOUT });
    const hidden = lastLine(ada.page).and(ada.page.locator("[data-testid=hidden-messages]"));
    await hidden.waitFor({ timeout: TIMEOUT });
    expect(await hidden.getAttribute("data-count")).toBe("1");
    expect(await hidden.textContent()).toBe(`1 hidden message from ${names.mia}, whom you blocked`);
    expect(await message(ada.page, "can ada read this?").count()).toBe(0);
    // One-way: the member still reads the admin.
    await send(ada.page, "admin here");
    await message(mia.page, "admin here").waitFor({ timeout: TIMEOUT });
  });

  it("the blocker cannot open a direct room with the user she blocks: the refusal says why (BLOCKED)", async () => {
    await ada.page.fill("input[name=room-name]", unique("dm"));
    await ada.page.selectOption("select[name=room-kind]", "direct");
    await ada.page.fill("input[name=room-members]", names.mia);
    await ada.page.click("[data-testid=new-room] button[type=submit]");
    const notice = ada.page.locator("[data-testid=notice][data-kind=error]", { hasText: "(BLOCKED)" });
    await notice.waitFor({ timeout: TIMEOUT });
    expect(await notice.textContent()).toContain("A block stands between you and that user");
  });

  it("unblocked from the list of blocked users, her messages show again, and her next one arrives whole", async () => {
    await ada.page.click("[data-testid=blocked-users]");
    const dialog = ada.page.locator("[data-testid=blocks-dialog]");
    await dialog.locator(`[data-testid=blocked-user][data-user="${names.mia}"] [data-testid=unblock]`).click();
    await dialog.locator("[data-testid=blocks-status]", { hasText: `You unblocked ${names.mia}` }).waitFor({ timeout: TIMEOUT });
    await dialog.locator("[data-testid=no-blocks]").waitFor({ timeout: TIMEOUT });
    await ada.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });

    await message(ada.page, "can ada read this?").waitFor({ timeout: TIMEOUT });
    expect(await ada.page.locator("[data-testid=hidden-messages]").count()).toBe(0);
    expect(await member(ada.page, names.mia).locator("[data-testid=blocked-badge]").count()).toBe(0);
    await send(mia.page, "welcome back");
    await message(ada.page, "welcome back").waitFor({ timeout: TIMEOUT });
  });

  it("the owner's view of a run room, the README's picture: slow mode in the header, roles and a muted member in the panel, an invitation link", async () => {
    await olivia.page.selectOption("[data-testid=slow-mode-select]", "30");
    await olivia.page.click("[data-testid=save-room]");
    await olivia.page.locator("[data-testid=slow-mode-badge]", { hasText: "slow mode · 30 s" }).waitFor({ timeout: TIMEOUT });
    await mute(olivia.page, names.mia, (form) => form.locator("[data-testid=mute-duration]").selectOption("86400"));
    await member(olivia.page, names.mia).locator("[data-testid=muted-badge]").waitFor({ timeout: TIMEOUT });
    await olivia.page.click("[data-testid=create-invite]");
    await olivia.page.locator("[data-testid=invite-link]").waitFor({ timeout: TIMEOUT });
    await mutedNote(mia.page).waitFor({ timeout: TIMEOUT });
    await olivia.page.locator("[data-testid=room-panel]").evaluate((el) => (el.scrollTop = 0));
    // The owner's panel at its fullest, and the muted member's composer: no axe-core violation either.
    expect(await axeViolations(olivia.page)).toEqual([]);
    expect(await axeViolations(mia.page)).toEqual([]);
    await screenshot(olivia.page, "rooms.png");
  });

  it("no page logged a console error (a Content-Security-Policy violation, a failed request) or threw", () => {
    expect(pages.flatMap((w) => w.problems)).toEqual([]);
  });
});
