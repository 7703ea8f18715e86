// Test plumbing: real indexes built once per machine (test/support/index-cache.ts) and copied per test file,
// a fixture corpus, app start-up against loopback doubles, a log capture, and polling waits.
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { CORPUS_DIR, ensureIndexCache, ROOT, tempDir } from "../support/index-cache.js";
import { loadConfig, secretsOf, type Config } from "../../src/config.js";
import { startApp, type RunningApp, type StartOptions } from "../../src/http/server.js";
import { createLogger, type Logger } from "../../src/log.js";
import type { DocumentMeta } from "../../src/types.js";
import { until } from "../support/until.js";

export { until };

export { CORPUS_DIR, ROOT } from "../support/index-cache.js";

// Directories made for a test file are removed after it (modules are loaded per test file).
const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh DATA_DIR holding a copy of the index built from `corpusDir` (so feedback databases never collide);
 * start the app with the same CORPUS_DIR.
 */
export async function testDataDir(corpusDir = CORPUS_DIR): Promise<string> {
  const cache = await ensureIndexCache(corpusDir);
  const dir = emptyDataDir();
  fs.cpSync(path.join(cache, "index"), path.join(dir, "index"), { recursive: true });
  return dir;
}

/** The test document `fixtureCorpus()` adds (test/channels/fixtures): not a real document. */
export const FIXTURE_DOCUMENT: DocumentMeta = {
  id: "qc-thu-nghiem-cam-bien",
  file: "documents/qc-thu-nghiem-cam-bien.md",
  style: "articles",
  title: "Quy chế thử nghiệm cảm biến độ ẩm đất cho vườn sầu riêng (văn bản thử của bộ kiểm thử)",
  shortTitle: "Quy chế thử KH&CN <cảm biến>",
  number: null,
  issuer: "Bộ kiểm thử (văn bản giả lập)",
  date: null,
  status: "in_force",
  aliases: ["quy chế cảm biến", "quy chế thử nghiệm cảm biến"],
  source: "test/channels/fixtures/qc-thu-nghiem-cam-bien.md",
  completeness: "Văn bản giả lập cho kiểm thử kênh chat.",
};

/**
 * A copy of the shipped corpus plus FIXTURE_DOCUMENT, whose real answers are longer than the platforms' message
 * limits and quote text with "&", "<" and ">" (a list introduction whose points are long, one over 4096 characters).
 */
export function fixtureCorpus(): string {
  const dir = path.join(emptyDataDir(), "corpus");
  fs.cpSync(CORPUS_DIR, dir, { recursive: true });
  const source = path.join(ROOT, "test/channels/fixtures", path.basename(FIXTURE_DOCUMENT.file));
  fs.copyFileSync(source, path.join(dir, FIXTURE_DOCUMENT.file));
  const manifestFile = path.join(dir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { documents: DocumentMeta[] };
  manifest.documents.push(FIXTURE_DOCUMENT);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return dir;
}

export function emptyDataDir(): string {
  const dir = tempDir("tro-ly-channels");
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

export interface TestApp extends RunningApp {
  config: Config;
  logs: CapturedLog;
}

/**
 * Start the whole app (HTTP server on a random port, channels from `env`) with fast retries and the real
 * answering core over the corpus (env CORPUS_DIR, else the shipped one); without `dataDir` its index is copied
 * from the cache.
 */
export async function startTestApp(env: Record<string, string>, opts: StartOptions & { dataDir?: string } = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? (await testDataDir(env.CORPUS_DIR ?? CORPUS_DIR));
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
  // Tests see each channel after its first start attempt (as it was when channels started before listening).
  await app.channelsStarted;
  return { ...app, config, logs };
}
