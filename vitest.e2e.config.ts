// End-to-end tests in a real headless Chromium (`npm run test:e2e`); kept out of `npm test`, which must
// need nothing beyond `npm ci`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    globalSetup: ["test/support/global-setup.ts"],
  },
});
