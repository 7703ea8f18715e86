// Distinct documents for the benchmark's quality at scale: the 17 laws of the public legal benchmark
// (../shared/eval/legal, read in place, never copied into the repository) converted as `corpus add` converts
// them (same metadata and name aliases), added to a synthetic corpus, and the benchmark's test split scored by
// the gold article (src/eval/legal.ts, the same split and scoring as `npm run eval -- --legal`). Synthetic
// copies of the shipped documents are filler around them: no copy can win a legal question by a tie-break.
import fs from "node:fs";
import path from "node:path";
import { prepareDocument } from "../src/corpus/ingest/index.js";
import type { DocumentMeta } from "../src/types.js";

export const defaultLegalDir = (root: string) => path.resolve(root, "../shared/eval/legal");

/** Convert each law (id = its file name, as the eval passes it) into `corpusDir`; returns the manifest entries. */
export async function writeLaws(legalDir: string, corpusDir: string, except: string[] = []): Promise<DocumentMeta[]> {
  const lawsDir = path.join(legalDir, "laws");
  const files = fs
    .readdirSync(lawsDir)
    .filter((f) => f.endsWith(".txt") && !except.includes(f.replace(/\.txt$/, "")))
    .sort();
  const out: DocumentMeta[] = [];
  for (const f of files) {
    const id = f.replace(/\.txt$/, "");
    const { meta, text } = await prepareDocument(fs.readFileSync(path.join(lawsDir, f)), f, { maxBytes: 2 ** 30, overrides: { id } });
    fs.writeFileSync(path.join(corpusDir, meta.file), text);
    out.push(meta);
  }
  return out;
}
