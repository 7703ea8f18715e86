import { defineConfig } from "vitest/config";

// `npm run test:integration`: corpus changes end to end — the corpus CLI in child processes (with real SIGKILLs
// at every commit step), rebuilds in worker threads, uploads over HTTP and Telegram. Slower; run by .ci/run.
export default defineConfig({
  test: {
    include: ["test/integration/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Both cores: vitest defaults to cores − 1 workers, i.e. one on this 2-core machine (the CLI file alone takes half).
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
