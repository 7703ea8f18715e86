// Read the corpus directory: manifest (with the profile), glossary, agency table and document files, with a
// content hash over all of them.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DocumentMeta } from "../types.js";
import { EMPTY_PROFILE, readManifest, type MissingDocument, type Profile } from "./manifest.js";

/**
 * Version of what an index holds: bump it when the index format, or the code that fills an index (sections,
 * text analysis, indexing, duty extraction), changes its output, so existing indexes and segments are rebuilt.
 * A constant of the code, not a hash of source files read at run time.
 */
export const INDEX_FORMAT_VERSION = "7";

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
  /** The agency table (agencies.json) of this corpus, when it has one. */
  agenciesPath: string | null;
  profile: Profile;
  /** sha256 over what shapes every document's index segment: format and code version, embeddings, glossary,
   * agencies. */
  identity: string;
  /** sha256 over everything an index is built from (computed on first use: it reads every document). */
  readonly hash: string;
  /** sha256 over the identity, the manifest and each document file's size, times and inode: cheap (no document
   * is read) and changes whenever a file is rewritten, so a matching fingerprint spares the full hash at start. */
  fingerprint: string;
}

export function glossaryPath(corpusDir: string): string {
  return path.join(corpusDir, "glossary.json");
}

export function agenciesPath(corpusDir: string): string {
  return path.join(corpusDir, "agencies.json");
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
  const aPath = agenciesPath(corpusDir);
  const hasAgencies = fs.existsSync(aPath);
  const identity = crypto
    .createHash("sha256")
    .update(`format:${INDEX_FORMAT_VERSION}\n${extraHashInput}\n`)
    .update(fs.readFileSync(gPath))
    .update(hasAgencies ? fs.readFileSync(aPath) : "no agencies")
    .digest("hex");
  const manifestBytes = fs.readFileSync(path.join(corpusDir, "manifest.json"));
  const documents = manifest.documents.map((meta) => ({ meta, read: () => readDocument(corpusDir, meta) }));
  let hash: string | undefined;
  return {
    dir: corpusDir,
    documents,
    notInCorpus: manifest.notInCorpus ?? [],
    glossaryPath: gPath,
    agenciesPath: hasAgencies ? aPath : null,
    profile: manifest.profile ?? EMPTY_PROFILE,
    identity,
    get hash() {
      if (hash === undefined) {
        const h = crypto.createHash("sha256").update(identity).update(manifestBytes);
        for (const d of documents) h.update(`\n--${d.meta.id}--\n`).update(d.read());
        hash = h.digest("hex");
      }
      return hash;
    },
    fingerprint: fingerprintOf(corpusDir, identity, manifestBytes, manifest.documents),
  };
}

function fingerprintOf(corpusDir: string, identity: string, manifestBytes: Buffer, documents: DocumentMeta[]): string {
  const h = crypto.createHash("sha256").update(identity).update(manifestBytes);
  for (const meta of documents) {
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(path.join(corpusDir, meta.file), { bigint: true });
    } catch (err) {
      throw new Error(`Document ${meta.id}: cannot read ${meta.file}: ${(err as Error).message}`);
    }
    h.update(`\n${meta.id}\t${st.size}\t${st.mtimeNs}\t${st.ctimeNs}\t${st.ino}`);
  }
  return h.digest("hex");
}
