import { defineConfig } from "vitest/config";

// `npm test`: everything that needs nothing beyond `npm ci`. Browser tests (Debian chromium) are in test/e2e.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
