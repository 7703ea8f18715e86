// Stock pipelines on the same questions, for comparison: LangChain's RecursiveCharacterTextSplitter +
// BM25Retriever over every document, and MiniSearch (a devDependency).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Document } from "@langchain/core/documents";
import { BM25Retriever } from "@langchain/community/retrievers/bm25";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import { readManifest } from "../src/corpus/manifest.js";
import { citationMatches, type EvalItem } from "../src/eval/metrics.js";
import { ownText, parseSections } from "../src/sections/parse.js";

const squash = (s: string) => s.replace(/[\s*\\_#>|-]+/g, " ").trim();

/** Chunks of every document, each tagged with the sections whose paragraphs it contains. */
async function chunksOf(corpusDir: string): Promise<Document[]> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const out: Document[] = [];
  for (const meta of readManifest(corpusDir).documents) {
    const raw = fs.readFileSync(path.join(corpusDir, meta.file), "utf8");
    const sections = parseSections(meta.id, raw, meta.style);
    const heads = sections.flatMap((s) => ownText(s).map((p) => ({ id: s.id, head: squash(p).slice(0, 60) })));
    for (const text of await splitter.splitText(raw)) {
      const flat = squash(text);
      const sections = [...new Set(heads.filter((h) => h.head && flat.includes(h.head)).map((h) => h.id))];
      out.push(new Document({ pageContent: text, metadata: { doc: meta.id, sections } }));
    }
  }
  return out;
}

function rankOf(item: EvalItem, results: Document[]): number | null {
  const at = results.findIndex((d) =>
    (d.metadata.sections as string[]).some((section) =>
      item.expect.some((e) => citationMatches({ doc: d.metadata.doc as string, section }, e)),
    ),
  );
  return at < 0 ? null : at + 1;
}

async function measure(items: EvalItem[], search: (q: string) => Promise<Document[]>) {
  const scored = items.filter((i) => i.expect.length > 0);
  const ranks: (number | null)[] = [];
  const latencies: number[] = [];
  for (const item of scored) {
    const t = performance.now();
    const results = await search(item.question);
    latencies.push(performance.now() - t);
    ranks.push(rankOf(item, results));
  }
  const share = (k: number) => Number((ranks.filter((r) => r !== null && r <= k).length / Math.max(1, scored.length)).toFixed(3));
  latencies.sort((a, b) => a - b);
  const p = (x: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor((x / 100) * latencies.length))]!.toFixed(1));
  return { hit1: share(1), hit5: share(5), p50: p(50), p95: p(95) };
}

async function miniSearch(chunks: Document[], items: EvalItem[]) {
  let MiniSearch: (new (o: object) => { addAll(d: object[]): void; search(q: string): { id: number }[] }) | undefined;
  try {
    MiniSearch = ((await import("minisearch" as string)) as { default: typeof MiniSearch }).default;
  } catch {
    try {
      // Also found through NODE_PATH (require honours it, import does not), before `npm ci` has installed it.
      const required = createRequire(import.meta.url)("minisearch") as typeof MiniSearch & { default?: typeof MiniSearch };
      MiniSearch = required.default ?? required;
    } catch {
      return { skipped: "minisearch is not installed (npm ci)" };
    }
  }
  const engine = new MiniSearch!({ fields: ["text"], searchOptions: { fuzzy: 0.2, prefix: true } });
  engine.addAll(chunks.map((c, id) => ({ id, text: c.pageContent })));
  return measure(items, async (q) =>
    engine
      .search(q)
      .slice(0, 5)
      .map((r) => chunks[r.id]!),
  );
}

export async function stockBaseline(corpusDir: string, items: EvalItem[]) {
  let t = performance.now();
  const chunks = await chunksOf(corpusDir);
  const retriever = BM25Retriever.fromDocuments(chunks, { k: 5 });
  const buildMs = Math.round(performance.now() - t);
  const langchain = { chunks: chunks.length, buildMs, ...(await measure(items, (q) => retriever.invoke(q))) };
  t = performance.now();
  return { langchain, minisearch: await miniSearch(chunks, items) };
}
