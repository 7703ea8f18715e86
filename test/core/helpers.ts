// Shared test setup: a config pointing at a temporary data directory (and optionally a copied corpus).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { ROOT, seedIndex } from "../support/index-cache.js";

export { ROOT } from "../support/index-cache.js";

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/**
 * Config with a fresh DATA_DIR seeded with the cached index of the shipped corpus (rebuilt only when `env`
 * changes what an index is built from); with `copyCorpus` the corpus is copied too so a test may change it.
 */
export function testConfig(opts: { copyCorpus?: boolean; env?: Record<string, string> } = {}): Config {
  const data = tempDir("data");
  let corpus = path.join(ROOT, "corpus");
  if (opts.copyCorpus) {
    corpus = path.join(tempDir("corpus"), "corpus");
    fs.cpSync(path.join(ROOT, "corpus"), corpus, { recursive: true });
  }
  seedIndex(data);
  return loadConfig({ DATA_DIR: data, CORPUS_DIR: corpus, LOG_LEVEL: "silent", ...opts.env }, ROOT);
}
