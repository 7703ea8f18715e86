import { defineConfig } from "vitest/config";

// `npm test`: unit and in-process integration tests, nothing beyond `npm ci`. Tests that spawn processes,
// SIGKILL them or rebuild indexes for corpus changes are in test/integration (`npm run test:integration`);
// browser tests (Debian chromium) in test/e2e (`npm run test:e2e`).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "test/integration/**", "test/replicas/**", "node_modules/**"],
    // The shipped corpus's index is built once per run, then copied into each test's DATA_DIR.
    globalSetup: ["test/support/global-setup.ts"],
    // Test files share their worker's module cache (no vi.mock anywhere): importing LangChain once per worker, not per file.
    isolate: false,
    // Both cores: vitest defaults to cores − 1 workers, i.e. one on this 2-core machine.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
