// Real indexes built once per machine and code version, then copied into each test's DATA_DIR: building the
// shipped corpus takes seconds, copying it milliseconds. The vitest globalSetup (test/support/global-setup.ts)
// builds the shipped corpus's index before any test file starts.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createAssistant } from "../../src/answer/index.js";
import { loadConfig } from "../../src/config.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CORPUS_DIR = path.join(ROOT, "corpus");
const PREFIX = "tro-ly-test-index-";

// A cache is keyed by the code and corpus it was built from, so a changed index format never loads stale.
function sourceHash(corpusDir: string): string {
  const hash = crypto.createHash("sha256");
  for (const dir of [path.join(ROOT, "src"), corpusDir])
    for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
      const file = path.join(dir, f);
      if (fs.statSync(file).isFile()) hash.update(f).update(fs.readFileSync(file));
    }
  return hash.digest("hex").slice(0, 16);
}

/** A fresh temporary directory, inside the run's directory when the globalSetup made one (removed after the run). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.TRO_LY_TEST_RUN_DIR ?? os.tmpdir(), `${prefix}-`));
}

const cacheDir = (corpusDir: string) => path.join(os.tmpdir(), `${PREFIX}${sourceHash(corpusDir)}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait for the cache's build lock (a directory: mkdir is atomic); a lock older than 5 minutes is stale. */
async function lockCache(cache: string): Promise<() => void> {
  const lock = path.join(cache, ".lock");
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(250);
    }
  }
}

/** Drop caches of older code (an hour old: a concurrent run may still be using a recent one). */
function dropOldCaches(keep: string): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const dir = path.join(os.tmpdir(), name);
    if (!name.startsWith(PREFIX) || dir === keep) continue;
    const age = Date.now() - (fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 60 * 60_000) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Build (or reuse, when the code and the corpus are unchanged) one index of `corpusDir`; returns the cache directory. */
export async function ensureIndexCache(corpusDir = CORPUS_DIR): Promise<string> {
  const cache = cacheDir(corpusDir);
  fs.mkdirSync(cache, { recursive: true });
  const unlock = await lockCache(cache);
  try {
    await createAssistant(loadConfig({ DATA_DIR: cache, CORPUS_DIR: corpusDir, INDEX_KEEP_VERSIONS: "1", LOG_LEVEL: "silent" }));
  } finally {
    unlock();
  }
  dropOldCaches(cache);
  return cache;
}

/** Copy the cached index of `corpusDir` into `dataDir` when one is built (else the app builds its own). */
export function seedIndex(dataDir: string, corpusDir = CORPUS_DIR): boolean {
  const index = path.join(cacheDir(corpusDir), "index");
  if (!fs.existsSync(path.join(index, "CURRENT"))) return false;
  fs.cpSync(index, path.join(dataDir, "index"), { recursive: true });
  return true;
}
