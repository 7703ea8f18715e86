// Shared test setup: a config pointing at a temporary data directory (and optionally a copied corpus).
import fs from "node:fs";
import path from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { openIndex, type LoadedIndex } from "../../src/index/store.js";
import { planMarkdown } from "../corpus/fixtures.js";
import { ROOT, seedIndex, tempDir } from "../support/index-cache.js";

export { ROOT } from "../support/index-cache.js";

export { tempDir } from "../support/index-cache.js";

/**
 * Config with a fresh DATA_DIR seeded with the cached index of the shipped corpus (rebuilt only when `env`
 * changes what an index is built from); with `copyCorpus` the corpus is copied too so a test may change it;
 * with `corpusDir` another corpus (e.g. `tinyCorpus()`) is used and its index built on first use.
 */
export function testConfig(opts: { copyCorpus?: boolean; corpusDir?: string; env?: Record<string, string> } = {}): Config {
  const data = tempDir("data");
  let corpus = opts.corpusDir ?? path.join(ROOT, "corpus");
  if (opts.copyCorpus) {
    corpus = path.join(tempDir("corpus"), "corpus");
    fs.cpSync(path.join(ROOT, "corpus"), corpus, { recursive: true });
  }
  if (!opts.corpusDir) seedIndex(data);
  return loadConfig({ DATA_DIR: data, CORPUS_DIR: corpus, LOG_LEVEL: "silent", ...opts.env }, ROOT);
}

/** The plan of test/corpus/fixtures.ts (not a shipped document) as the whole corpus: indexes build in milliseconds. */
export const TINY_DOC = "kh-thu-nghiem-lam-dong";

export function tinyCorpus(): string {
  const dir = path.join(tempDir("tiny-corpus"), "corpus");
  fs.mkdirSync(path.join(dir, "documents"), { recursive: true });
  for (const f of ["glossary.json", "agencies.json"]) fs.copyFileSync(path.join(ROOT, "corpus", f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, "documents", `${TINY_DOC}.md`), planMarkdown());
  const meta = {
    id: TINY_DOC,
    file: `documents/${TINY_DOC}.md`,
    style: "plan",
    title: "Kế hoạch phát triển khoa học, công nghệ và đổi mới sáng tạo tỉnh Lâm Đồng năm 2026 (văn bản thử)",
    shortTitle: "Kế hoạch thử Lâm Đồng",
    number: "15/KH-UBND",
    issuer: "UBND tỉnh Lâm Đồng",
    date: "2025-08-20",
    status: "in_force",
    aliases: [],
    source: "test/corpus/fixtures.ts",
    completeness: "Văn bản giả lập cho kiểm thử.",
  };
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ documents: [meta] }, null, 2));
  return dir;
}

/** The index of a corpus of ours (`test/core/fixtures/NAME`) with the shipped glossary and agencies, in temp dirs. */
export async function fixtureIndex(name: string): Promise<LoadedIndex> {
  const corpus = path.join(tempDir(name), "corpus");
  fs.cpSync(path.join(ROOT, "test/core/fixtures", name), corpus, { recursive: true });
  for (const f of ["glossary.json", "agencies.json"]) fs.copyFileSync(path.join(ROOT, "corpus", f), path.join(corpus, f));
  return openIndex(loadConfig({ CORPUS_DIR: corpus, DATA_DIR: tempDir("data"), LOG_LEVEL: "silent" }, ROOT));
}
