import { defineConfig } from "vitest/config";

// `npm run test:replicas`: the store contract suite on a throwaway PostgreSQL (Debian's `postgresql` package),
// and two real server processes sharing it. Run by .ci/run.
export default defineConfig({
  test: {
    include: ["test/replicas/**/*.test.ts"],
    globalSetup: ["test/replicas/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Server processes are heavy: one file at a time on a small machine.
    fileParallelism: false,
  },
});
