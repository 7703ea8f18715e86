// vitest globalSetup: the shipped corpus's index is built once per run (or reused from an earlier run of the
// same code and corpus) before test files start, so each file copies it instead of building its own.
import { ensureIndexCache } from "./index-cache.js";

export default async function setup(): Promise<void> {
  await ensureIndexCache();
}
