// vitest globalSetup: the shipped corpus's index is built once per run (or reused from an earlier run of the
// same code and corpus) before test files start, so each file copies it instead of building its own. Temporary
// directories of the run go under one directory (TRO_LY_TEST_RUN_DIR, inherited by the workers), removed at the end.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureIndexCache } from "./index-cache.js";

export default async function setup(): Promise<() => void> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-test-run-"));
  process.env.TRO_LY_TEST_RUN_DIR = runDir;
  await ensureIndexCache();
  return () => fs.rmSync(runDir, { recursive: true, force: true });
}
