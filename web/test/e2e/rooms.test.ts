import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { SwitchboardClient } from "../../src/lib";
import { connected, unique } from "../support/gateway";
import { launch, open, signIn, type WatchedPage } from "./browser";

const TIMEOUT = 15_000;
let browser: Browser;
/** The owner, the member made admin then owner, a third user who comes with an invitation. */
let olivia: WatchedPage;
let mia: WatchedPage;
let theo: WatchedPage;
const pages: WatchedPage[] = [];
const names = {
  olivia: unique("olivia"), mia: unique("mia"), theo: unique("theo"), zoe: unique("zoe"), room: unique("crew"), quiet: unique("quiet"),
};
/** Who made the public rooms of the search, and their ids: deleted after, to keep the other browser tests' lists short. */
let creator: SwitchboardClient | undefined;
const searchRooms: string[] = [];

const roomItem = (p: Page, name: string) => p.locator(`[data-testid=room-item][data-room-name="${name}"]`);
const systemNotice = (p: Page, text: string) => p.locator("[data-testid=system-message]", { hasText: text });
const member = (p: Page, user: string) => p.locator(`[data-testid=room-panel] [data-testid=member][data-user="${user}"]`);
const hasRole = (p: Page, user: string, role: string) =>
  p.locator(`[data-testid=room-panel] [data-testid=member][data-user="${user}"][data-role=${role}]`).waitFor({ timeout: TIMEOUT });

async function user(name: string, path?: string): Promise<WatchedPage> {
  const w = await signIn(browser, name, path);
  pages.push(w);
  return w;
}

async function openRoom(p: Page, name: string): Promise<void> {
  await roomItem(p, name).click();
  await p.waitForSelector(`[data-testid=room-title]:text-is("${name}")`, { timeout: TIMEOUT });
}

/** Opens the room's details panel, unless open, and waits for its member list. */
async function openPanel(p: Page): Promise<void> {
  if (!(await p.locator("[data-testid=room-panel]").isVisible())) await p.click("[data-testid=room-details]");
  await p.locator("[data-testid=room-panel] [data-testid=members]").waitFor({ timeout: TIMEOUT });
}

/** Answers the confirmation dialog with its confirm button. */
async function confirm(p: Page): Promise<void> {
  await p.click("[data-testid=confirm-dialog] [data-testid=confirm-ok]");
  await p.locator("[data-testid=confirm-dialog]").waitFor({ state: "detached", timeout: TIMEOUT });
}

async function addMembers(p: Page, ...users: string[]): Promise<void> {
  await p.fill("[data-testid=add-members-input]", users.join(", "));
  await p.click("[data-testid=add-members-submit]");
}

/** The room is gone from the user's sidebar, and the notice says why. */
async function vanished(w: WatchedPage, room: string, why: string): Promise<void> {
  await roomItem(w.page, room).waitFor({ state: "detached", timeout: TIMEOUT });
  await w.page.locator("[data-testid=notice]", { hasText: why }).waitFor({ timeout: TIMEOUT });
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  for (const id of searchRooms) await creator?.deleteRoom(id);
  creator?.close();
});

describe("rooms people run, in the chat app", () => {
  it("the owner creates a group and adds a member by user id: the room appears in the member's sidebar at once, and the change shows as a centred notice", async () => {
    olivia = await user(names.olivia);
    mia = await user(names.mia);
    await olivia.page.fill("input[name=room-name]", names.room);
    await olivia.page.selectOption("select[name=room-kind]", "group");
    await olivia.page.click("[data-testid=new-room] button[type=submit]");
    await olivia.page.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`);

    await openPanel(olivia.page);
    await focused(olivia.page, "#room-panel-title");
    // Escape closes the panel and gives the focus back to the button that opened it.
    await olivia.page.keyboard.press("Escape");
    await olivia.page.locator("[data-testid=room-panel]").waitFor({ state: "detached", timeout: TIMEOUT });
    await focused(olivia.page, "[data-testid=room-details]");
    await openPanel(olivia.page);
    await hasRole(olivia.page, names.olivia, "owner");
    await addMembers(olivia.page, names.mia);

    await roomItem(mia.page, names.room).waitFor({ timeout: TIMEOUT });
    await hasRole(olivia.page, names.mia, "member");
    await olivia.page.locator("[data-testid=panel-status]", { hasText: `Added ${names.mia}.` }).waitFor({ timeout: TIMEOUT });
    await openRoom(mia.page, names.room);
    for (const p of [olivia.page, mia.page]) {
      await systemNotice(p, `${names.olivia} added ${names.mia}`).waitFor({ timeout: TIMEOUT });
      expect(await p.locator("[data-testid=message]").count()).toBe(0);
      await p.locator("[data-testid=room-members]", { hasText: "2 members" }).waitFor({ timeout: TIMEOUT });
    }
  });

  it("a member is offered no management; made admin by the owner, both panels show the badge live and the admin may add members, but not delete the room", async () => {
    await openPanel(mia.page);
    await hasRole(mia.page, names.mia, "member");
    expect(await mia.page.locator("[data-testid=add-members]").count()).toBe(0);
    // Blocking is everyone's own: the only action offered.
    expect(await member(mia.page, names.olivia).locator("button:not([data-testid=block-user])").count()).toBe(0);
    expect(await mia.page.locator("[data-testid=quit-room]").count()).toBe(1);

    await member(olivia.page, names.mia).locator("[data-testid=make-admin]").click();

    await hasRole(olivia.page, names.mia, "admin");
    await hasRole(mia.page, names.mia, "admin");
    await mia.page.locator("[data-testid=add-members]").waitFor({ timeout: TIMEOUT });
    expect(await mia.page.locator("[data-testid=delete-room]").count()).toBe(0);
    expect(await member(mia.page, names.olivia).locator("button:not([data-testid=block-user])").count()).toBe(0);
    await systemNotice(mia.page, `${names.olivia} made ${names.mia} admin`).waitFor({ timeout: TIMEOUT });
  });

  it("a new name and topic set by the owner show live in the other's header and sidebar", async () => {
    const renamed = `${names.room}-renamed`;
    await olivia.page.fill("[data-testid=room-name-input]", renamed);
    await olivia.page.fill("[data-testid=room-topic-input]", "Release planning, Tuesdays 10:00");
    await olivia.page.click("[data-testid=save-room]");

    await mia.page.waitForSelector(`[data-testid=room-title]:text-is("${renamed}")`, { timeout: TIMEOUT });
    await mia.page.locator("[data-testid=room-topic]", { hasText: "Release planning, Tuesdays 10:00" }).waitFor({ timeout: TIMEOUT });
    await roomItem(mia.page, renamed).waitFor({ timeout: TIMEOUT });
    await systemNotice(mia.page, `${names.olivia} renamed the room to ${renamed}`).waitFor({ timeout: TIMEOUT });
    expect(await mia.page.inputValue("[data-testid=room-name-input]")).toBe(renamed);
    names.room = renamed;
  });

  it("archiving makes the room read-only: the composer is disabled with an explanation until the room is unarchived", async () => {
    await olivia.page.click("[data-testid=archive-room]");

    for (const p of [olivia.page, mia.page]) {
      await p.locator("[data-testid=archived-badge]").waitFor({ timeout: TIMEOUT });
      await p.locator("[data-testid=archived-note]", { hasText: "read-only" }).waitFor({ timeout: TIMEOUT });
      expect(await p.locator("[data-testid=composer]").isDisabled()).toBe(true);
    }
    await systemNotice(mia.page, `${names.olivia} archived the room`).waitFor({ timeout: TIMEOUT });

    await mia.page.click("[data-testid=unarchive-room]");
    await olivia.page.locator("[data-testid=archived-note]").waitFor({ state: "detached", timeout: TIMEOUT });
    expect(await olivia.page.locator("[data-testid=composer]").isDisabled()).toBe(false);
    await olivia.page.fill("[data-testid=composer]", "open again");
    await olivia.page.click("[data-testid=send]");
    await mia.page.locator("[data-testid=message-body]", { hasText: "open again" }).waitFor({ timeout: TIMEOUT });
  });

  it("an invitation link opened by a third user accepts it after sign-in and opens the room; the owner sees them join live", async () => {
    await olivia.page.selectOption("[data-testid=invite-expiry]", "86400");
    await olivia.page.fill("[data-testid=invite-max-uses]", "1");
    await olivia.page.click("[data-testid=create-invite]");
    const link = await olivia.page.locator("[data-testid=invite-link]").first().inputValue();
    expect(link).toMatch(/\/#invite=[A-Za-z0-9_-]{43}$/);
    const at = new globalThis.URL(link);

    theo = await user(names.theo, `${at.pathname}${at.hash}`);
    await theo.page.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`, { timeout: TIMEOUT });
    expect(theo.page.url()).not.toContain("invite=");
    await hasRole(olivia.page, names.theo, "member");
    await systemNotice(olivia.page, `${names.theo} joined with an invitation from ${names.olivia}`).waitFor({ timeout: TIMEOUT });
    await olivia.page.locator("[data-testid=room-members]", { hasText: "3 members" }).waitFor({ timeout: TIMEOUT });
  });

  it("a revoked invitation link is refused with a readable reason", async () => {
    await olivia.page.click("[data-testid=create-invite]");
    await olivia.page.locator("[data-testid=invite]").nth(1).waitFor({ timeout: TIMEOUT });
    const newest = olivia.page.locator("[data-testid=invite]").first();
    const at = new globalThis.URL(await newest.locator("[data-testid=invite-link]").inputValue());
    await newest.locator("[data-testid=revoke-invite]").click();
    await olivia.page.locator("[data-testid=panel-status]", { hasText: "Link revoked." }).waitFor({ timeout: TIMEOUT });
    expect(await olivia.page.locator("[data-testid=invite]").count()).toBe(1);

    const late = await user(unique("late"), `${at.pathname}${at.hash}`);
    await late.page.locator("[data-testid=notice][data-kind=error]", { hasText: "not valid any more" }).waitFor({ timeout: TIMEOUT });
    expect(await roomItem(late.page, names.room).count()).toBe(0);
    await late.context.close();
  });

  it("the owner cannot leave before handing over the room: the panel says why, with the code LAST_OWNER", async () => {
    await olivia.page.click("[data-testid=quit-room]");
    await confirm(olivia.page);
    const error = olivia.page.locator("[data-testid=panel-error]");
    await error.waitFor({ timeout: TIMEOUT });
    expect(await error.textContent()).toMatch(/make another member the owner first.*\(LAST_OWNER\)/);
    expect(await roomItem(olivia.page, names.room).count()).toBe(1);
  });

  it("a removed member's sidebar loses the room at once, with a notice; added again, it comes back", async () => {
    await member(olivia.page, names.theo).locator("[data-testid=remove-member]").click();
    await confirm(olivia.page);

    await vanished(theo, names.room, `${names.olivia} removed you from «${names.room}»`);
    await member(olivia.page, names.theo).waitFor({ state: "detached", timeout: TIMEOUT });
    await systemNotice(mia.page, `${names.olivia} removed ${names.theo}`).waitFor({ timeout: TIMEOUT });

    await addMembers(olivia.page, names.theo);
    await roomItem(theo.page, names.room).waitFor({ timeout: TIMEOUT });
  });

  it("an admin bans a member: the room vanishes from their sidebar, and nobody can add them until they are unbanned", async () => {
    await member(mia.page, names.theo).locator("[data-testid=ban-member]").click();
    await confirm(mia.page);

    await vanished(theo, names.room, `${names.mia} banned you from «${names.room}»`);
    await mia.page.locator(`[data-testid=banned-user][data-user="${names.theo}"]`).waitFor({ timeout: TIMEOUT });
    await addMembers(olivia.page, names.theo);
    await olivia.page.locator("[data-testid=panel-error]", { hasText: "(FORBIDDEN)" }).waitFor({ timeout: TIMEOUT });

    await mia.page.locator(`[data-testid=banned-user][data-user="${names.theo}"] [data-testid=unban]`).click();
    await mia.page.locator("[data-testid=banned-user]").waitFor({ state: "detached", timeout: TIMEOUT });
    await addMembers(olivia.page, names.theo);
    await roomItem(theo.page, names.room).waitFor({ timeout: TIMEOUT });
  });

  it("the owner hands the room to the admin and leaves it for good; the new owner deletes it, and it vanishes from every sidebar", async () => {
    await member(olivia.page, names.mia).locator("[data-testid=make-owner]").click();
    await confirm(olivia.page);
    await hasRole(olivia.page, names.mia, "owner");
    await hasRole(olivia.page, names.olivia, "admin");
    await hasRole(mia.page, names.mia, "owner");
    await mia.page.locator("[data-testid=delete-room]").waitFor({ timeout: TIMEOUT });

    await olivia.page.click("[data-testid=quit-room]");
    await confirm(olivia.page);
    await vanished(olivia, names.room, `You left «${names.room}»`);
    await systemNotice(mia.page, `${names.olivia} left`).waitFor({ timeout: TIMEOUT });
    await mia.page.locator("[data-testid=room-members]", { hasText: "2 members" }).waitFor({ timeout: TIMEOUT });

    await mia.page.click("[data-testid=delete-room]");
    await confirm(mia.page);
    await vanished(mia, names.room, `You deleted «${names.room}»`);
    await vanished(theo, names.room, `${names.mia} deleted «${names.room}»`);
  });

  it("public rooms: a user searches them by name, pages through the results and joins one", async () => {
    const prefix = unique("atlas");
    creator = await connected(unique("creator"), "default");
    const made: string[] = [];
    for (let i = 1; i <= 22; i++) {
      const name = `${prefix}-${String(i).padStart(2, "0")}`;
      searchRooms.push((await creator.request("create-room", { name, kind: "public" })).room.id);
      made.push(name);
    }

    const p = theo.page;
    await p.click("[data-testid=browse-rooms]");
    await p.locator("[data-testid=browse-dialog]").waitFor({ timeout: TIMEOUT });
    await focused(p, "[data-testid=search-input]");
    await p.fill("[data-testid=search-input]", `${prefix}-nothing`);
    await p.locator("[data-testid=no-results]").waitFor({ timeout: TIMEOUT });

    await p.fill("[data-testid=search-input]", prefix);
    await p.locator(`[data-testid=search-result][data-room-name="${made[19]}"]`).waitFor({ timeout: TIMEOUT });
    expect(await p.locator("[data-testid=search-result]").count()).toBe(20);
    await p.click("[data-testid=search-more]");
    await p.locator(`[data-testid=search-result][data-room-name="${made[21]}"]`).waitFor({ timeout: TIMEOUT });
    expect(await p.locator("[data-testid=search-result] strong").allTextContents()).toEqual(made.map((n) => `# ${n}`));
    expect(await p.locator("[data-testid=search-more]").count()).toBe(0);

    await p.click(`[data-testid=search-join][data-room-name="${made[21]}"]`);
    await p.locator("[data-testid=browse-dialog]").waitFor({ state: "detached", timeout: TIMEOUT });
    await p.waitForSelector(`[data-testid=room-title]:text-is("${made[21]}")`, { timeout: TIMEOUT });
    await roomItem(p, made[21]).waitFor({ timeout: TIMEOUT });
  });

  it("a group created with a member is in their sidebar at once, without a list-rooms; a mute set before they open its panel shows as a badge, lifted live", async () => {
    // zoe's page, watched from before its socket opens: which list-rooms it sends.
    const zoe = await open(browser, "/");
    pages.push(zoe);
    let listRooms = 0;
    zoe.page.on("websocket", (ws) => ws.on("framesent", (f) => void (String(f.payload).includes('"list-rooms"') && listRooms++)));
    await zoe.page.fill("input[name=user]", names.zoe);
    await zoe.page.click("button[type=submit]");
    await zoe.page.waitForSelector("[data-testid=me]");
    await expect.poll(() => listRooms, { timeout: TIMEOUT }).toBe(1);

    const p = olivia.page;
    await p.fill("input[name=room-name]", names.quiet);
    await p.selectOption("select[name=room-kind]", "group");
    await p.fill("input[name=room-members]", `${names.zoe}, ${names.theo}`);
    await p.click("[data-testid=new-room] button[type=submit]");
    await p.waitForSelector(`[data-testid=room-title]:text-is("${names.quiet}")`, { timeout: TIMEOUT });

    await roomItem(zoe.page, names.quiet).waitFor({ timeout: TIMEOUT });
    expect(listRooms).toBe(1);

    const owner = await connected(names.olivia, "default");
    try {
      const roomId = (await owner.request("list-rooms", {})).rooms.find((r) => r.name === names.quiet)!.id;
      await owner.muteMember(roomId, names.theo, 3600);
      await openRoom(zoe.page, names.quiet);
      await openPanel(zoe.page);
      const badge = member(zoe.page, names.theo).locator("[data-testid=muted-badge]");
      await badge.waitFor({ timeout: TIMEOUT });
      expect(await member(zoe.page, names.zoe).locator("[data-testid=muted-badge]").count()).toBe(0);
      await owner.unmuteMember(roomId, names.theo);
      await badge.waitFor({ state: "detached", timeout: TIMEOUT });
    } finally {
      owner.close();
    }
  });

  it("no page broke the Content-Security-Policy or threw", () => {
    expect(pages.flatMap((w) => w.problems)).toEqual([]);
  });
});

/** Waits until the element matching `selector` has the focus: the app moves it after the render that shows a view. */
async function focused(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((sel) => document.activeElement?.matches(sel) === true, selector, { timeout: TIMEOUT });
}
