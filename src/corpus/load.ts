// Read the corpus directory: manifest (with the profile), glossary, agency table and document files, with a
// content hash over all of them.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DocumentMeta } from "../types.js";
import { EMPTY_PROFILE, readManifest, type MissingDocument, type Profile } from "./manifest.js";

/** Bump when the on-disk index format changes in a way the code fingerprint below would not show. */
export const INDEX_FORMAT_VERSION = "1";

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
  raw: string;
}

export interface Corpus {
  dir: string;
  documents: CorpusDocument[];
  notInCorpus: MissingDocument[];
  glossaryPath: string;
  /** The agency table (agencies.json) of this corpus, when it has one. */
  agenciesPath: string | null;
  profile: Profile;
  /** sha256 over everything an index is built from. */
  hash: string;
}

export function glossaryPath(corpusDir: string): string {
  return path.join(corpusDir, "glossary.json");
}

export function agenciesPath(corpusDir: string): string {
  return path.join(corpusDir, "agencies.json");
}

export function loadCorpus(corpusDir: string, extraHashInput = ""): Corpus {
  const manifest = readManifest(corpusDir);
  const hash = crypto
    .createHash("sha256")
    .update(`format:${INDEX_FORMAT_VERSION} code:${indexingCodeFingerprint()}\n${extraHashInput}\n`);
  hash.update(fs.readFileSync(path.join(corpusDir, "manifest.json")));
  const gPath = glossaryPath(corpusDir);
  hash.update(fs.readFileSync(gPath));
  const aPath = agenciesPath(corpusDir);
  const hasAgencies = fs.existsSync(aPath);
  hash.update(hasAgencies ? fs.readFileSync(aPath) : "no agencies");
  const documents = manifest.documents.map((meta) => {
    const file = path.join(corpusDir, meta.file);
    let raw: string;
    try {
      raw = fs.readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`Document ${meta.id}: cannot read ${meta.file}: ${(err as Error).message}`);
    }
    hash.update(`\n--${meta.id}--\n`).update(raw);
    return { meta, raw };
  });
  return {
    dir: corpusDir,
    documents,
    notInCorpus: manifest.notInCorpus ?? [],
    glossaryPath: gPath,
    agenciesPath: hasAgencies ? aPath : null,
    profile: manifest.profile ?? EMPTY_PROFILE,
    hash: hash.digest("hex"),
  };
}
