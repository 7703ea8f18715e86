// Synthetic corpora for the benchmark: the shipped documents plus copies with new ids, titles, numbers and
// shuffled digits, written into a temporary directory (never committed).
import fs from "node:fs";
import path from "node:path";
import { readManifest } from "../src/corpus/manifest.js";
import type { DocumentMeta } from "../src/types.js";

/** A digit permutation per copy: the same paragraph with other numbers (dates, amounts, article numbers). */
function digitShuffle(seed: number): (text: string) => string {
  const digits = [..."0123456789"];
  let s = seed * 2654435761;
  for (let i = digits.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [digits[i], digits[j]] = [digits[j]!, digits[i]!];
  }
  return (text) => text.replace(/\d/g, (d) => digits[Number(d)]!);
}

function copyMeta(meta: DocumentMeta, n: number, shuffle: (t: string) => string): DocumentMeta {
  const id = `${meta.id}-s${n}`;
  return {
    ...meta,
    id,
    file: `documents/${id}${path.extname(meta.file)}`,
    title: `${shuffle(meta.title)} (bản tổng hợp ${n})`,
    shortTitle: `${shuffle(meta.shortTitle)} · bản ${n}`,
    number: meta.number ? `${shuffle(meta.number)}-${n}` : null,
    aliases: [`văn bản tổng hợp số ${n}`],
    status: meta.status === "superseded" ? "unknown" : meta.status,
    supersededBy: undefined,
    statusNote: meta.status === "superseded" ? "bản sao tổng hợp" : meta.statusNote,
  };
}

/**
 * Write the shipped corpus times `scale` into `dir` (created), plus the `extra` documents already written there
 * (distinct documents to score quality on); returns the number of documents.
 */
export function writeSyntheticCorpus(sourceDir: string, dir: string, scale: number, extraCopies = 0, extra: DocumentMeta[] = []): number {
  const { documents, notInCorpus, profile } = readManifest(sourceDir);
  fs.mkdirSync(path.join(dir, "documents"), { recursive: true });
  // The corpus tables too: follow-up phrases, and the smoke questions every change is validated with.
  for (const f of ["glossary.json", "agencies.json", "followups.json", "checks.json"])
    if (fs.existsSync(path.join(sourceDir, f))) fs.copyFileSync(path.join(sourceDir, f), path.join(dir, f));
  const out: DocumentMeta[] = [];
  for (const meta of documents) {
    const raw = fs.readFileSync(path.join(sourceDir, meta.file), "utf8");
    fs.mkdirSync(path.dirname(path.join(dir, meta.file)), { recursive: true });
    fs.writeFileSync(path.join(dir, meta.file), raw);
    out.push(meta);
  }
  for (let n = 1; n < scale + extraCopies; n++)
    for (const meta of documents) {
      const shuffle = digitShuffle(n * 7919 + out.length);
      const copy = copyMeta(meta, n, shuffle);
      fs.writeFileSync(path.join(dir, copy.file), shuffle(fs.readFileSync(path.join(sourceDir, meta.file), "utf8")));
      out.push(JSON.parse(JSON.stringify(copy)) as DocumentMeta);
    }
  out.push(...extra);
  // The profile too: the decision to answer is fitted data kept there.
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ documents: out, notInCorpus, profile }, null, 1));
  return out.length;
}

/** Add one more copy of the plan-style document to a synthetic corpus (the incremental-add measurement). */
export function addOneDocument(sourceDir: string, dir: string, n: number): string {
  const manifestFile = path.join(dir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { documents: DocumentMeta[] };
  const meta = readManifest(sourceDir).documents.find((d) => d.style === "plan") ?? readManifest(sourceDir).documents[0]!;
  const shuffle = digitShuffle(n * 104729);
  const copy = copyMeta(meta, n, shuffle);
  fs.writeFileSync(path.join(dir, copy.file), shuffle(fs.readFileSync(path.join(sourceDir, meta.file), "utf8")));
  manifest.documents.push(JSON.parse(JSON.stringify(copy)) as DocumentMeta);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  return copy.id;
}
