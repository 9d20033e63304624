import { execFileSync } from "node:child_process";
import {
  chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, createBrotliDecompress } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { URL } from "../support/gateway";

export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(process.cwd(), "target", "screenshots");

/** A Chromium binary and the environment it runs in. */
interface Chromium {
  executablePath: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH when set (Debian's, for one:
 * CHROMIUM_PATH=/usr/bin/chromium), otherwise the one the npm package @sparticuz/chromium carries inside
 * itself, so that `npm ci` brings it from the registry with the other devDependencies and a machine
 * needs no browser installed. Playwright's own browser download does not work on this project's
 * machines. That package holds a brotli-compressed headless-shell Chromium for x86-64 Linux with the
 * libraries it links beyond glibc (NSS, NSPR, expat), SwiftShader and a font (Open Sans); they are
 * unpacked once into target/chromium-<version>/, and the binary runs with that lib/ first on
 * LD_LIBRARY_PATH and a fontconfig file of its own, so it needs nothing of the system but glibc 2.34
 * or newer and libgcc (no system fonts either: the pages render alike on every machine). The
 * package's own executablePath() is not used: it unpacks into the shared /tmp/chromium, trusts
 * whatever is found there, and brings the libraries only on AWS Lambda.
 */
export function chromiumBinary(): Promise<Chromium> {
  const path = process.env.CHROMIUM_PATH;
  if (path) {
    return existsSync(path) ? Promise.resolve({ executablePath: path })
      : Promise.reject(new Error(`CHROMIUM_PATH is ${path}, which does not exist. Unset it to use the Chromium of ` +
        "the @sparticuz/chromium package (installed by npm ci)."));
  }
  bundled ??= unpacked();
  return bundled;
}

let bundled: Promise<Chromium> | undefined;

/** Where the package's Chromium is unpacked: the web module's target/, kept across builds until a clean. */
const TARGET = fileURLToPath(new globalThis.URL("../../target/", import.meta.url));

async function unpacked(): Promise<Chromium> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`@sparticuz/chromium carries Chromium for x86-64 Linux only, not ${process.platform}/${process.arch}: ` +
      "set CHROMIUM_PATH to a Chromium binary.");
  }
  const pkg = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..");
  const version: string = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version;
  const dir = join(TARGET, `chromium-${version}`);
  if (!existsSync(dir)) {
    // Unpacked beside it and renamed into place, so that a run never sees half a browser.
    mkdirSync(TARGET, { recursive: true });
    const temp = mkdtempSync(`${dir}.`);
    try {
      const bin = join(pkg, "bin");
      untar(join(bin, "al2023.tar.br"), temp); // lib/: NSS, NSPR, expat
      untar(join(bin, "swiftshader.tar.br"), temp); // beside the binary, where Chromium looks for them
      untar(join(bin, "fonts.tar.br"), temp); // fonts/; its fonts.conf names Lambda's paths and is replaced
      await pipeline(createReadStream(join(bin, "chromium.br")), createBrotliDecompress(),
        createWriteStream(join(temp, "chromium"), { mode: 0o755 }));
      writeFileSync(join(temp, "fonts.conf"), `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dir, "fonts")}</dir>
  <cachedir>${join(dir, "fonts-cache")}</cachedir>
</fontconfig>
`);
      chmodSync(temp, 0o755);
      renameSync(temp, dir);
    } catch (e) {
      rmSync(temp, { recursive: true, force: true });
      if (!existsSync(dir)) throw e; // else another run unpacked it first
    }
  }
  return {
    executablePath: join(dir, "chromium"),
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [join(dir, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      FONTCONFIG_PATH: dir,
    },
  };
}

/**
 * Unpacks a brotli-compressed tar archive of a few MB with the system's tar, from a file: tar stops
 * reading at the archive's end marker, which would cut a pipe into it short.
 */
function untar(archive: string, into: string): void {
  const tarball = join(into, basename(archive, ".br"));
  writeFileSync(tarball, brotliDecompressSync(readFileSync(archive)));
  execFileSync("tar", ["-x", "--no-same-owner", "-f", tarball, "-C", into], { stdio: ["ignore", "ignore", "pipe"] });
  rmSync(tarball);
}

/** `extraArgs`: more Chromium flags (the call test's fake camera and microphone). */
export async function launch(extraArgs: string[] = []): Promise<Browser> {
  const { executablePath, env } = await chromiumBinary();
  return chromium.launch({
    executablePath,
    env,
    headless: true,
    // Playwright gives each launch a fresh, empty user-data-dir. The network flags keep Chromium from
    // calling home, which this machine's closed network refuses.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic", ...extraArgs],
  });
}

/** A page whose console errors (Content-Security-Policy violations, failed requests among them) and uncaught errors are collected. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/** The screens the browser tests use: a laptop's, and a phone's (an iPhone 14's CSS pixels, touch, no hover). */
export type Screen = "desktop" | "phone";

export function contextOptions(screen: Screen): BrowserContextOptions {
  return screen === "phone"
    ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
    : { viewport: { width: 1180, height: 720 } };
}

/** `base`: the origin the page comes from; the gateway by default (the React example has a server of its own). */
export async function open(browser: Browser, path: string, screen: Screen = "desktop", base = URL): Promise<WatchedPage> {
  const context = await browser.newContext(contextOptions(screen));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${base}${path}`);
  return { context, page, problems };
}

/** Signs in on the chat app in dev mode: the name mints a development token. `path`: an invitation link's, say. */
export async function signIn(browser: Browser, user: string, path = "/", screen: Screen = "desktop"): Promise<WatchedPage> {
  const w = await open(browser, path, screen);
  await w.page.fill("input[name=user]", user);
  await w.page.click("button[type=submit]");
  await w.page.waitForSelector("[data-testid=me]");
  return w;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * What axe-core finds on the page as it shows now, one line per rule and element: WCAG 2.0 to 2.2 A
 * and AA and axe's best practices. Injected through the DevTools protocol, which the page's CSP does
 * not govern; run on each view a test reaches.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return result.violations;
  });
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")}: ${n.failureSummary ?? v.help}`));
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}
