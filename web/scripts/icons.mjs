// Renders the app's icons (public/icons/*.png) from public/favicon.svg's drawing with Chromium:
// `node scripts/icons.mjs` after a change of the drawing (CHROMIUM_PATH: a Chromium binary; the
// browser tests' target/chromium-*/chromium will do). The PNGs are committed; the build does not run this.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const svg = readFileSync(new URL("../public/favicon.svg", import.meta.url), "utf8");
// Maskable: the background fills the square, the drawing keeps to the middle 60% (the safe zone is a circle of 80%).
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#2563eb"/>`
  + `<g transform="translate(6.4 6.4) scale(.6)"><path d="M9 11h14M9 16h10M9 21h6" stroke="#fff" stroke-width="3" stroke-linecap="round"/></g></svg>`;
const icons = [["icon-192.png", svg, 192], ["icon-512.png", svg, 512], ["maskable-512.png", maskable, 512]];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ["--no-sandbox"] });
const page = await browser.newPage();
for (const [name, drawing, size] of icons) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${drawing}`);
  await page.screenshot({ path: new URL(`../public/icons/${name}`, import.meta.url).pathname, omitBackground: true });
}
await browser.close();
