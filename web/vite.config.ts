import { defineConfig } from "vitest/config";

// Two pages, both served by the gateway: the chat app at / and the operator console at /console.
// Assets get content hashes under /assets/, which the gateway serves as immutable.
export default defineConfig({
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
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] } },
      // Not in the Maven build: `npm run lighthouse` (see docs/benchmarks.md).
      { extends: true, test: { name: "lighthouse", include: ["test/lighthouse/**/*.test.ts"] } },
    ],
  },
});
