import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { unique } from "../support/gateway";
import { launch, screenshot, signIn, type WatchedPage } from "./browser";

const TIMEOUT = 20_000;
let browser: Browser;
let alice: WatchedPage;
let bob: WatchedPage;
const names = { alice: unique("alice"), bob: unique("bob"), room: unique("direct") };

beforeAll(async () => {
  // Chromium's fake camera (a test pattern) and microphone, granted without asking.
  browser = await launch(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]);
});

afterAll(async () => {
  await browser?.close();
});

/** Whether the page's video element plays a track with frames: what a user sees as the other side's picture. */
const playing = (w: WatchedPage, testid: string) => w.page.waitForFunction((id) => {
  const video = document.querySelector<HTMLVideoElement>(`[data-testid=${id}]`);
  return !!video && video.videoWidth > 0 && !video.paused && video.readyState >= 2;
}, testid, { timeout: TIMEOUT });

describe("a video call between two browsers", () => {
  it("alice calls bob from their direct room; bob accepts; each sees the other's video playing; alice hangs up and both see it end", async () => {
    alice = await signIn(browser, names.alice);
    bob = await signIn(browser, names.bob);
    await alice.page.fill("input[name=room-name]", names.room);
    await alice.page.selectOption("select[name=room-kind]", "direct");
    await alice.page.fill("input[name=room-members]", names.bob);
    await alice.page.click("[data-testid=new-room] button[type=submit]");
    await alice.page.waitForSelector(`[data-testid=room-title]:text("${names.room}")`, { timeout: TIMEOUT });

    await alice.page.click("[data-testid=call-video]");
    await alice.page.waitForSelector("[data-testid=call-view][data-phase=outgoing]", { timeout: TIMEOUT });
    const incoming = bob.page.locator("[data-testid=incoming-call]");
    await incoming.waitFor({ timeout: TIMEOUT });
    expect(await incoming.textContent()).toContain(`${names.alice} is calling (video)`);
    await bob.page.click("[data-testid=call-accept]");

    await bob.page.waitForSelector("[data-testid=call-view][data-phase=connected]", { timeout: TIMEOUT });
    await alice.page.waitForSelector("[data-testid=call-view][data-phase=connected]", { timeout: TIMEOUT });
    await playing(bob, "remote-video");
    await playing(alice, "remote-video");
    await playing(bob, "local-video");
    expect(await alice.page.locator("[data-testid=call-view]").textContent()).toContain(`In a call with ${names.bob}`);
    await screenshot(bob.page, "call-connected.png");

    await alice.page.click("[data-testid=call-hangup]");
    await bob.page.waitForSelector("[data-testid=call-ended][data-reason=hangup]", { timeout: TIMEOUT });
    await alice.page.waitForSelector("[data-testid=call-ended][data-reason=hangup]", { timeout: TIMEOUT });
    await bob.page.click("[data-testid=call-dismiss]");
    expect(await bob.page.locator("[data-testid=call-view]").count()).toBe(0);
    expect(alice.problems).toEqual([]);
    expect(bob.problems).toEqual([]);
  });

  it("bob declines alice's next call: alice sees it declined", async () => {
    await alice.page.click("[data-testid=call-dismiss]");
    await alice.page.click("[data-testid=call-audio]");
    await bob.page.locator("[data-testid=incoming-call]").waitFor({ timeout: TIMEOUT });
    expect(await bob.page.locator("[data-testid=incoming-call]").textContent()).not.toContain("(video)");
    await bob.page.click("[data-testid=call-decline]");
    await alice.page.waitForSelector("[data-testid=call-ended][data-reason=declined]", { timeout: TIMEOUT });
  });
});
