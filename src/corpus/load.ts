// Read the corpus directory: manifest, glossary and document files, with a content hash.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DocumentMeta } from "../types.js";
import { readManifest, type MissingDocument } from "./manifest.js";

/** Bump when the on-disk index format changes in a way the code fingerprint below would not show. */
export const INDEX_FORMAT_VERSION = "2";

/**
 * Fingerprint of the code that turns documents into an index (parsing, text handling, indexing): a change
 * there rebuilds existing indexes just as a corpus change does.
 */
let fingerprint: string | undefined;
export function indexingCodeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const src = path.resolve(import.meta.dirname, "..");
  const hash = crypto.createHash("sha256");
  for (const dir of ["sections", "text", "index"]) {
    const full = path.join(src, dir);
    if (!fs.existsSync(full)) continue;
    for (const f of (fs.readdirSync(full, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).sort())
      hash.update(`${dir}/${f}\n`).update(fs.readFileSync(path.join(full, f)));
  }
  fingerprint = hash.digest("hex").slice(0, 16);
  return fingerprint;
}

export interface CorpusDocument {
  meta: DocumentMeta;
  /** The document's text, read from disk on each call (a build holds one document at a time). */
  read(): string;
}

export interface Corpus {
  dir: string;
  documents: CorpusDocument[];
  notInCorpus: MissingDocument[];
  glossaryPath: string;
  /** corpus/agencies.json when the corpus has one. */
  agenciesPath: string | null;
  /** sha256 over what shapes every document's index segment: format and code version, embeddings, glossary,
   * agencies (an agencies.json change reaches the duties at the next reindex). */
  identity: string;
  /** sha256 over the files a corpus snapshot holds (manifest, glossary, documents) and the code version. */
  hash: string;
}

export function glossaryPath(corpusDir: string): string {
  return path.join(corpusDir, "glossary.json");
}

function readDocument(corpusDir: string, meta: DocumentMeta): string {
  try {
    return fs.readFileSync(path.join(corpusDir, meta.file), "utf8");
  } catch (err) {
    throw new Error(`Document ${meta.id}: cannot read ${meta.file}: ${(err as Error).message}`);
  }
}

/** The corpus with its hashes; document texts are read one at a time (hashing streams, nothing is kept). */
export function loadCorpus(corpusDir: string, extraHashInput = ""): Corpus {
  const manifest = readManifest(corpusDir);
  const gPath = glossaryPath(corpusDir);
  const aPath = path.join(corpusDir, "agencies.json");
  const agenciesPath = fs.existsSync(aPath) ? aPath : null;
  const base = crypto
    .createHash("sha256")
    .update(`format:${INDEX_FORMAT_VERSION} code:${indexingCodeFingerprint()}\n${extraHashInput}\n`)
    .update(fs.readFileSync(gPath))
    .digest("hex");
  const identity = crypto.createHash("sha256").update(base).update(agenciesPath ? fs.readFileSync(agenciesPath) : "").digest("hex");
  const hash = crypto.createHash("sha256").update(base).update(fs.readFileSync(path.join(corpusDir, "manifest.json")));
  const documents = manifest.documents.map((meta) => {
    hash.update(`\n--${meta.id}--\n`).update(readDocument(corpusDir, meta));
    return { meta, read: () => readDocument(corpusDir, meta) };
  });
  return {
    dir: corpusDir,
    documents,
    notInCorpus: manifest.notInCorpus ?? [],
    glossaryPath: gPath,
    agenciesPath,
    identity,
    hash: hash.digest("hex"),
  };
}
