import { defineConfig } from "vitest/config";

// `npm run test:integration`: corpus changes end to end — the corpus CLI in child processes (with real SIGKILLs
// at every commit step), rebuilds in worker threads, uploads over HTTP and Telegram. Slower; run by .ci/run.
export default defineConfig({
  test: {
    include: ["test/integration/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // One file at a time: each test already keeps both cores busy (CLI child processes, index builds in worker
    // threads); two files side by side measured slower (9 min vs 6) and pushed a kill-timing test past its timeout.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
