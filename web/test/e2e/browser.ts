import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { URL } from "../support/gateway";

/** Debian's Chromium; `.ci/run` installs it. Playwright's own browser download does not work here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(process.cwd(), "target", "screenshots");

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: the browser tests need Debian's chromium ` +
      "(apt-get install -y chromium) or CHROMIUM_PATH set to a Chromium binary.");
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives each launch a fresh, empty user-data-dir. The network flags keep Chromium from
    // calling home, which this machine's closed network refuses.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** A page whose Content-Security-Policy violations and uncaught errors are collected. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

export async function open(browser: Browser, path: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1180, height: 720 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${URL}${path}`);
  return { context, page, problems };
}

/** Signs in on the chat app in dev mode: the name mints a development token. */
export async function signIn(browser: Browser, user: string): Promise<WatchedPage> {
  const w = await open(browser, "/");
  await w.page.fill("input[name=user]", user);
  await w.page.click("button[type=submit]");
  await w.page.waitForSelector("[data-testid=me]");
  return w;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}
