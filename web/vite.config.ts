import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** The packages by their names, from their sources (as tsconfig.json's paths). */
export const PACKAGES = {
  "@switchboard/client": fileURLToPath(new URL("./src/lib/index.ts", import.meta.url)),
  "@switchboard/react": fileURLToPath(new URL("./react/src/index.ts", import.meta.url)),
};

// Two pages, both served by the gateway: the chat app at / and the operator console at /console.
// Assets get content hashes under /assets/, which the gateway serves as immutable.
export default defineConfig({
  resolve: { alias: PACKAGES },
  build: {
    outDir: "target/classes/public",
    emptyOutDir: true,
    assetsDir: "assets",
    assetsInlineLimit: 0,
    rollupOptions: { input: { app: "index.html", console: "console.html" } },
  },
  test: {
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "lib", include: ["test/lib/**/*.test.ts"] } },
      // The React bindings' hooks, rendered by React Testing Library in happy-dom's document: a page
      // of the gateway's origin, as an app the gateway serves (happy-dom's fetch checks CORS).
      {
        extends: true,
        test: {
          name: "react", include: ["test/react/**/*.test.ts"], environment: "happy-dom",
          environmentOptions: { happyDOM: { url: process.env.SWITCHBOARD_URL ?? "http://127.0.0.1:3000" } },
        },
      },
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] } },
      // Not in the Maven build: `npm run lighthouse` (see docs/benchmarks.md).
      { extends: true, test: { name: "lighthouse", include: ["test/lighthouse/**/*.test.ts"] } },
    ],
  },
});
