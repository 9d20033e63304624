import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { unique } from "../support/gateway";
import { png } from "../support/png";
import { axeViolations, launch, screenshot, signIn, type WatchedPage } from "./browser";

const TIMEOUT = 15_000;
let browser: Browser;
let ann: WatchedPage;
let ben: WatchedPage;
const names = { ann: unique("ann"), ben: unique("ben"), room: unique("photos") };

const message = (p: Page, body: string) => p.locator("[data-testid=messages] [data-testid=message]", {
  has: p.locator(`[data-testid=message-body]:text-is("${body}")`),
});

async function openRoom(p: Page): Promise<void> {
  await p.locator(`[data-testid=room-item][data-room-name="${names.room}"]`).click();
  await p.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`);
}

/** The thumbnail of a message's image has loaded (its object URL decoded), at most 240 x 180 CSS pixels. */
async function thumbnailShown(p: Page, body: string): Promise<void> {
  const img = message(p, body).locator("[data-testid=attachment-image] img[data-testid=thumbnail]");
  await img.waitFor({ timeout: TIMEOUT });
  await p.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
    await img.elementHandle(), { timeout: TIMEOUT });
  expect(await img.getAttribute("src")).toMatch(/^blob:/);
}

beforeAll(async () => {
  browser = await launch();
  [ann, ben] = [await signIn(browser, names.ann), await signIn(browser, names.ben)];
  await ann.page.fill("input[name=room-name]", names.room);
  await ann.page.selectOption("select[name=room-kind]", "group");
  await ann.page.fill("input[name=room-members]", names.ben);
  await ann.page.click("[data-testid=new-room] button[type=submit]");
  await ann.page.waitForSelector(`[data-testid=room-title]:text-is("${names.room}")`);
  await openRoom(ben.page);
});

afterAll(async () => {
  await browser?.close();
});

describe("attachments in the chat app", () => {
  it("an image: its upload shows progress in the composer, then the other member sees its thumbnail with its dimensions live, opens the whole image, and sees it again in history", async () => {
    // The upload's bytes are held until the progress bar has been seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await ann.page.route("**/api/uploads/**", async (route) => {
      await held;
      await route.continue();
    });
    await ann.page.setInputFiles("[data-testid=attach-input]", { name: "harbour.png", mimeType: "image/png", buffer: png(1200, 800) });
    const upload = ann.page.locator("[data-testid=upload][data-name='harbour.png']");
    await upload.and(ann.page.locator("[data-state=uploading]")).waitFor({ timeout: TIMEOUT });
    expect(await upload.getByRole("progressbar", { name: "Uploading harbour.png" }).count()).toBe(1);
    expect(await ann.page.isDisabled("[data-testid=send]")).toBe(true);
    expect(await axeViolations(ann.page)).toEqual([]);
    release();
    await upload.and(ann.page.locator("[data-state=done]")).waitFor({ timeout: TIMEOUT });
    await ann.page.unroute("**/api/uploads/**");

    const body = "the view from the office";
    await ann.page.fill("[data-testid=composer]", body);
    await ann.page.click("[data-testid=send]");
    await ann.page.locator("[data-testid=uploads]").waitFor({ state: "detached", timeout: TIMEOUT });
    await thumbnailShown(ben.page, body);
    const image = message(ben.page, body).locator("[data-testid=attachment-image]");
    expect(await image.locator("[data-testid=attachment-dimensions]").textContent()).toBe(" · 1200 × 800");
    await thumbnailShown(ann.page, body);

    await image.getByRole("button", { name: "Open the image harbour.png" }).click();
    const viewer = ben.page.locator("[data-testid=image-viewer]");
    const full = viewer.locator("img[data-testid=full-image]");
    await full.waitFor({ timeout: TIMEOUT });
    await ben.page.waitForFunction((el) => (el as HTMLImageElement).naturalWidth === 1200, await full.elementHandle(), { timeout: TIMEOUT });
    expect(await axeViolations(ben.page)).toEqual([]);
    await ben.page.keyboard.press("Escape");
    await viewer.waitFor({ state: "detached", timeout: TIMEOUT });

    // A fresh page reads it from history.
    const again = await signIn(browser, names.ben);
    try {
      await openRoom(again.page);
      await thumbnailShown(again.page, body);
      expect(await message(again.page, body).locator("[data-testid=attachment-dimensions]").textContent()).toBe(" · 1200 × 800");
      expect(again.problems).toEqual([]);
    } finally {
      await again.context.close();
    }
  });

  it("a text file is a download link with its name and size; the other member downloads it with its content", async () => {
    const text = "agenda: launch date, budget, who brings the cake\n";
    await ann.page.setInputFiles("[data-testid=attach-input]", { name: "agenda.txt", mimeType: "text/plain", buffer: Buffer.from(text) });
    await ann.page.locator("[data-testid=upload][data-state=done]").waitFor({ timeout: TIMEOUT });
    // Without text, the message says the file's name.
    await ann.page.click("[data-testid=send]");
    const link = message(ben.page, "agenda.txt").locator("[data-testid=attachment-file]");
    await link.waitFor({ timeout: TIMEOUT });
    expect(await link.textContent()).toBe(`agenda.txt (${text.length} B)`);
    const [download] = await Promise.all([ben.page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("agenda.txt");
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(text);
    expect(await axeViolations(ben.page)).toEqual([]);
    await screenshot(ben.page, "attachments.png");
  });

  it("a file of a type not allowed, or too large, is refused with a sentence; nothing is sent", async () => {
    await ann.page.setInputFiles("[data-testid=attach-input]", { name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
    const error = ann.page.locator("[data-testid=upload-error]");
    await error.waitFor({ timeout: TIMEOUT });
    expect(await error.textContent()).toBe("setup.exe was not attached. Files of that type cannot be attached here "
      + "(by default: PNG, JPEG, GIF and WebP images, PDF, plain text). (UNSUPPORTED_TYPE)");
    await ann.page.setInputFiles("[data-testid=attach-input]", {
      name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(25 * 1024 * 1024 + 1),
    });
    await error.and(ann.page.locator(":text('scan.pdf')")).waitFor({ timeout: TIMEOUT });
    expect(await error.textContent()).toBe("scan.pdf was not attached. The file is too large: files of at most 25 MB can be attached. (UPLOAD_TOO_LARGE)");
    expect(await ann.page.locator("[data-testid=upload]").count()).toBe(0);
    expect(await ann.page.isDisabled("[data-testid=send]")).toBe(true);
    expect(await axeViolations(ann.page)).toEqual([]);
    expect(ann.problems.concat(ben.problems)).toEqual([]);
  });
});
