// Test plumbing: a real index built once per machine (copied per test file), app start-up against
// loopback doubles, a log capture, and polling waits.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { createAssistant } from "../../src/answer/index.js";
import type { Assistant } from "../../src/chat/types.js";
import { loadConfig, secretsOf, type Config } from "../../src/config.js";
import { startApp, type RunningApp, type StartOptions } from "../../src/http/server.js";
import { createLogger, type Logger } from "../../src/log.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CORPUS_DIR = path.join(ROOT, "corpus");

// The cache is keyed by the code and corpus it was built from, so a changed index format never loads stale.
function sourceHash(): string {
  const hash = crypto.createHash("sha256");
  for (const dir of [path.join(ROOT, "src"), CORPUS_DIR])
    for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
      const file = path.join(dir, f);
      if (fs.statSync(file).isFile()) hash.update(f).update(fs.readFileSync(file));
    }
  return hash.digest("hex").slice(0, 16);
}
const CACHE = path.join(os.tmpdir(), `tro-ly-test-index-${sourceHash()}`);

// Data directories made for a test file are removed after it (modules are loaded per test file).
const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Build (or reuse, when the corpus is unchanged) one index for all test files; a lock keeps builds single. */
async function ensureIndexCache(): Promise<void> {
  fs.mkdirSync(CACHE, { recursive: true });
  const lock = path.join(CACHE, ".lock");
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    await createAssistant(loadConfig({ DATA_DIR: CACHE, CORPUS_DIR, INDEX_KEEP_VERSIONS: "1", LOG_LEVEL: "silent" }));
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  // Drop caches of older code (an hour old: a concurrent run may still be using a recent one).
  for (const name of fs.readdirSync(os.tmpdir())) {
    const dir = path.join(os.tmpdir(), name);
    if (!name.startsWith("tro-ly-test-index-") || dir === CACHE) continue;
    const age = Date.now() - (fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 60 * 60_000) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh DATA_DIR holding a copy of the built index (so feedback databases never collide). */
export async function testDataDir(): Promise<string> {
  await ensureIndexCache();
  const dir = emptyDataDir();
  fs.cpSync(path.join(CACHE, "index"), path.join(dir, "index"), { recursive: true });
  return dir;
}

export function emptyDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tro-ly-channels-"));
  created.push(dir);
  return dir;
}

export interface CapturedLog {
  log: Logger;
  text(): string;
  lines(): Array<Record<string, unknown>>;
}

/** The real logger writing to memory. */
export function captureLog(config: Config): CapturedLog {
  const chunks: string[] = [];
  const sink = { write: (s: string) => chunks.push(s) } as unknown as typeof process.stderr;
  return {
    log: createLogger("debug", secretsOf(config), sink),
    text: () => chunks.join(""),
    lines: () => chunks.map((c) => JSON.parse(c) as Record<string, unknown>),
  };
}

/** Polls `check` until it returns a truthy value. */
export async function until<T>(check: () => T | undefined | null | false, timeoutMs = 15_000, label = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await sleep(20);
  }
}

export interface TestApp extends RunningApp {
  config: Config;
  logs: CapturedLog;
}

/**
 * Start the whole app (HTTP server on a random port, channels from `env`) with fast retries. Without an
 * `assistant` the real one is built from the corpus.
 */
export async function startTestApp(
  env: Record<string, string>,
  opts: StartOptions & { dataDir?: string; assistant?: Assistant } = {},
): Promise<TestApp> {
  const dataDir = opts.dataDir ?? (opts.assistant ? emptyDataDir() : await testDataDir());
  const config = loadConfig({
    CORPUS_DIR,
    DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    API_RETRY_BASE_MS: "10",
    ...env,
  });
  const logs = captureLog(config);
  const app = await startApp(config, logs.log, { zaloPollTimeoutSeconds: 1, ...opts });
  return { ...app, config, logs };
}
