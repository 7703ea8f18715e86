// Sections → a persisted, versioned index made of per-document segments (src/index/segment.ts).
// A version lists its segments and holds what depends on all of them: the merged lexical postings (global
// statistics), the vocabulary for typo repair and near-duplicate signatures. Each build goes to a fresh
// directory and is switched in atomically (rename of a pointer file), so a failed or killed build leaves the
// previous version serving; rollback is a pointer switch. The last INDEX_KEEP_VERSIONS versions stay.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Embeddings } from "@langchain/core/embeddings";
import type { Config } from "../config.js";
import { loadCorpus, type Corpus } from "../corpus/load.js";
import { EMPTY_PROFILE, type MissingDocument, type Profile } from "../corpus/manifest.js";
import { type AgencyRegistry, createAgencyRegistry, EMPTY_AGENCY_TABLE, loadAgencyRegistry, registryOfTable } from "../duties/agencies.js";
import { dutiesByPlan } from "../duties/scope.js";
import type { Duty } from "../duties/types.js";
import type { Logger } from "../log.js";
import { createAnalyzer, type Analyzer } from "../text/analyzer.js";
import { loadGlossary } from "../text/glossary.js";
import { type DocumentMeta, primaryDocumentIds, type Section } from "../types.js";
import { forEachLine, readUint32, writeLines, writeTyped } from "./binary.js";
import { createEmbeddings, embeddingsId, lexicalFeatureWeight, type EmbeddingsConfig } from "./embeddings.js";
import { checksOf, type FileChecks, IndexHealth, isIndexDamage, readChecked, readSealed, sealJson, verifyFile } from "./integrity.js";
import { LEXICAL_FILES, LexicalIndex, mergeLexical } from "./lexical.js";
import { mergeFromPrevious, type MergeSegment } from "./merge.js";
import { NameIndex } from "./names.js";
import {
  buildSegment,
  checkStoredSegment,
  parseDocument,
  quarantineSegment,
  readSegmentDuties,
  readSegmentInfo,
  readSegmentSections,
  readSegmentSignatures,
  segmentKey,
  segmentsDir,
  type SegmentContext,
  type SegmentInfo,
} from "./segment.js";
import { SectionStore } from "./sections.js";
import type { Unit } from "./units.js";
import { type VectorSegment, VectorStore } from "./vectors.js";
import { readVocabulary, VOCABULARY_FILE, writeVocabulary, type Vocabulary } from "./vocabulary.js";
import { isAlive, moduleWorker } from "../process.js";

export { embeddingsId } from "./embeddings.js";
export { type DamagedFile, IndexDamagedError, isIndexDamage } from "./integrity.js";
export { chunkParagraph, unitsOf, unitText, type Unit } from "./units.js";
export type { Vocabulary } from "./vocabulary.js";

export interface IndexMeta {
  version: string;
  hash: string;
  createdAt: string;
  embeddings: string;
  /** See Corpus.fingerprint: when it matches, the corpus is not read to check that this version is current. */
  fingerprint?: string;
  units: number;
  documents: { id: string; sections: number; units: number; segment: string; dims?: number }[];
  /** Size and CRC-32 of each file of the version (versions written before checksums have none). */
  files?: FileChecks;
}

export interface LoadedIndex {
  meta: IndexMeta;
  dir: string;
  documents: DocumentMeta[];
  /** Documents users ask about whose text the corpus lacks. */
  notInCorpus: MissingDocument[];
  /** The corpus profile this version was built with (assistant texts, province, smoke questions, priors). */
  profile: Profile;
  /** The agency table (agencies.json) this version was built with, unparsed (src/duties reads it); null if none. */
  agencyTable: unknown;
  /** Every section of every document, in document order (reads every segment on first use: administration). */
  readonly sections: Section[];
  /** Retrieval unit i (one per paragraph of own text; lexical index i), its segment read on first use. */
  unit(i: number): Unit;
  /** The text unit i is found by. */
  unitText(i: number): string;
  /** Index in `documents` of each unit's document. */
  unitDoc: Uint32Array;
  /** Near-duplicate signature of each unit (same letters, whatever the numbers). */
  signatures: Uint32Array;
  lexical: LexicalIndex;
  vectors: VectorStore;
  /** Question embeddings, weighted by this version's statistics. */
  embeddings: Embeddings;
  analyzer: Analyzer;
  names: NameIndex;
  vocabulary: Vocabulary;
  /** Duty records extracted at indexing from the plan-style documents, in document order. */
  duties: Duty[];
  section(doc: string, id: string): Section | undefined;
  /** The sections of one document, read from its segment only (what administration reads per document). */
  sectionsOf(doc: string): Section[];
  document(id: string): DocumentMeta | undefined;
  /** Ids of the documents whose role is primary (made with the version: asked on every question). */
  primary: ReadonlySet<string>;
  /** The agency registry of this version's agency table (made with the version). */
  agencies: AgencyRegistry;
  /** `duties` grouped by plan, plans in document order (made with the version). */
  dutyPlans: Map<string, Duty[]>;
  /** Files found damaged while serving; a damaged segment is rebuilt from its corpus document (`report`). */
  health: IndexHealth;
}

/** Progress of a build: documents done of total, then the merge. */
export type BuildProgress = (done: number, total: number, phase: "segments" | "merge") => void;

export type IndexConfig = Pick<Config, "dataDir" | "corpusDir" | "INDEX_KEEP_VERSIONS"> &
  EmbeddingsConfig & {
    /** Worker threads that build new segments; default: one per core for corpora of PARALLEL_FROM documents or more. */
    INDEX_BUILD_THREADS?: number;
  };

/** Below this many documents a build stays on the calling thread (starting workers costs about a second). */
const PARALLEL_FROM = 200;

const indexRoot = (dataDir: string) => path.join(dataDir, "index");
const versionsDir = (dataDir: string) => path.join(indexRoot(dataDir), "versions");
const currentFile = (dataDir: string) => path.join(indexRoot(dataDir), "CURRENT");

function writeJsonAtomic(file: string, value: object): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, sealJson(value));
  fs.renameSync(tmp, file);
}

/** Parse every document; throws (English) naming the document when one yields no usable section. */
export function parseCorpus(corpus: Corpus): { documents: DocumentMeta[]; sections: Section[] } {
  const sections = corpus.documents.flatMap((d) => parseDocument(d.meta, d.read()));
  return { documents: corpus.documents.map((d) => d.meta), sections };
}

export function segmentContext(config: EmbeddingsConfig, corpus: Corpus): SegmentContext {
  const analyzer = createAnalyzer(loadGlossary(corpus.glossaryPath));
  const agencies = corpus.agenciesPath ? loadAgencyRegistry(corpus.agenciesPath) : createAgencyRegistry(EMPTY_AGENCY_TABLE);
  return { analyzer, agencies, embeddings: createEmbeddings(config, analyzer), identity: corpus.identity };
}

/** Builds the listed documents' segments in `threads` worker threads (each one document at a time). */
async function buildSegmentsInWorkers(config: IndexConfig, corpus: Corpus, todo: number[], threads: number, progress?: BuildProgress) {
  const ts = import.meta.url.endsWith(".ts");
  const entry = new URL(`./segment-worker.${ts ? "ts" : "js"}`, import.meta.url);
  let built = 0;
  const run = (worker: number) =>
    new Promise<void>((resolve, reject) => {
      const documents = todo.filter((_, j) => j % threads === worker);
      const w = moduleWorker(entry, { config: { ...config }, corpusDir: corpus.dir, documents });
      w.on("message", (m: { built?: number; done?: boolean; error?: string }) => {
        if (m.built !== undefined) progress?.(++built, todo.length, "segments");
        if (m.done) resolve();
        if (m.error) reject(new Error(m.error));
        if (m.done || m.error) void w.terminate();
      });
      w.once("error", reject);
      w.once("exit", (code) => reject(new Error(`segment build worker exited with code ${code}`)));
    });
  await Promise.all(Array.from({ length: threads }, (_, w) => run(w)));
}

/**
 * Build (or reuse from the store) every document's segment, one document in memory at a time per thread: in
 * worker threads (one per core) when many segments are missing, else on this thread.
 */
async function buildSegments(config: IndexConfig, corpus: Corpus, log?: Logger, progress?: BuildProgress): Promise<SegmentInfo[]> {
  const store = segmentsDir(config.dataDir);
  const keys = corpus.documents.map((d) => segmentKey(corpus.identity, d.meta, d.read()));
  const reusable = keys.map((key) => storedSegment(config.dataDir, key, log));
  const missing = keys.flatMap((_, i) => (reusable[i] ? [] : [i]));
  const threads = Math.min(config.INDEX_BUILD_THREADS ?? os.availableParallelism(), missing.length);
  const parallel = threads > 1 && (config.INDEX_BUILD_THREADS !== undefined || missing.length >= PARALLEL_FROM);
  if (parallel) await buildSegmentsInWorkers(config, corpus, missing, threads, progress);
  const ctx = segmentContext(config, corpus);
  const infos: SegmentInfo[] = [];
  for (const [i, d] of corpus.documents.entries()) {
    const dir = path.join(store, keys[i]!);
    infos.push(
      reusable[i] ??
        (fs.existsSync(path.join(dir, "segment.json")) ? readSegmentInfo(dir) : await buildSegment(config.dataDir, ctx, d.meta, d.read())),
    );
    if (!parallel) progress?.(infos.length, corpus.documents.length, "segments");
  }
  return infos;
}

/**
 * The stored segment of `key` when it may be reused: intact segment.json, every file at its recorded size. A
 * damaged one is moved aside (and logged, naming the file) so that it is rebuilt, never reused.
 */
function storedSegment(dataDir: string, key: string, log?: Logger): SegmentInfo | undefined {
  const dir = path.join(segmentsDir(dataDir), key);
  if (!fs.existsSync(dir)) return undefined;
  try {
    return checkStoredSegment(dir);
  } catch (err) {
    if (!isIndexDamage(err)) throw err;
    log?.error("index segment damaged: rebuilding it from the corpus", { file: err.file, reason: err.reason });
    quarantineSegment(dataDir, key);
    return undefined;
  }
}

/** Every segment's duty records, one JSON line each, in document order (order numbers made global). */
function* mergedDuties(segments: { dir: string; info?: SegmentInfo }[]): Generator<string> {
  let order = 0;
  for (const { dir, info } of segments) {
    const duties = readSegmentDuties(dir, info);
    for (const duty of duties) yield JSON.stringify({ ...duty, order: order + duty.order });
    order += duties.length;
  }
}

/** Merged postings: from the serving version's when only a few documents changed, otherwise from every segment. */
function mergePostings(dataDir: string, segments: MergeSegment[], dir: string, log?: Logger): Map<string, number> {
  const current = currentVersion(dataDir);
  if (current) {
    const previous = path.join(versionsDir(dataDir), current);
    try {
      const meta = readMeta(previous);
      const keys = meta.documents.map((d) => ({ key: d.segment, units: d.units }));
      const df = mergeFromPrevious({ dir: previous, segments: keys, files: meta.files }, segments, dir);
      if (df) return df;
    } catch (err) {
      // The serving version went away, is incomplete (pruned, older format) or damaged: merge every segment instead.
      if (isIndexDamage(err))
        log?.error("serving index version damaged: merging every segment instead", { file: err.file, reason: err.reason });
    }
  }
  return mergeLexical(segments, dir);
}

/** What depends on every segment: merged postings, vocabulary, signatures; then the metadata (last). */
function writeVersion(config: IndexConfig, corpus: Corpus, infos: SegmentInfo[], dir: string, version: string, log?: Logger): void {
  let base = 0;
  const segments = infos.map((s) => {
    base += s.units;
    return {
      key: s.key,
      dir: path.join(segmentsDir(config.dataDir), s.key),
      base: base - s.units,
      units: s.units,
      files: s.files,
      info: s,
    };
  });
  writeVocabulary(dir, mergePostings(config.dataDir, segments, dir, log));
  const signatures = new Uint32Array(base);
  for (const s of segments) signatures.set(readSegmentSignatures(s.dir, s.info), s.base);
  writeTyped(path.join(dir, "signatures.u32"), signatures);
  writeLines(
    path.join(dir, DOCUMENTS_FILE),
    (function* () {
      for (const s of infos) yield JSON.stringify(s.doc);
    })(),
  );
  writeLines(path.join(dir, DUTIES_FILE), mergedDuties(segments));
  fs.copyFileSync(corpus.glossaryPath, path.join(dir, "glossary.json"));
  fs.writeFileSync(path.join(dir, "corpus.json"), JSON.stringify({ notInCorpus: corpus.notInCorpus, profile: corpus.profile }));
  if (corpus.agenciesPath) fs.copyFileSync(corpus.agenciesPath, path.join(dir, "agencies.json"));
  const meta: IndexMeta = {
    version,
    hash: corpus.hash,
    fingerprint: corpus.fingerprint,
    createdAt: new Date().toISOString(),
    embeddings: embeddingsId(config),
    units: base,
    documents: infos.map((s) => ({ id: s.doc.id, sections: s.sections, units: s.units, segment: s.key, dims: s.dims })),
    files: checksOf(dir, VERSION_FILES),
  };
  // meta.json last: a directory without it is an unfinished build.
  fs.writeFileSync(path.join(dir, "meta.json"), sealJson(meta, 1));
}

/** A version's meta.json, checked by its own CRC (IndexDamagedError naming it when damaged). */
function readMeta(versionDir: string): IndexMeta {
  return readSealed<IndexMeta>(path.join(versionDir, "meta.json"));
}

/**
 * Build a new index version from the corpus into a fresh directory; does not switch to it. Unchanged
 * documents reuse their segments, so adding or replacing one document builds one segment plus the merge.
 */
export async function buildVersion(config: IndexConfig, corpus: Corpus, log?: Logger, progress?: BuildProgress): Promise<string> {
  // A reused segment found damaged while merging is moved aside and rebuilt: a few tries, then the error stands.
  for (let attempt = 1; ; attempt++) {
    try {
      return await buildVersionOnce(config, corpus, log, progress);
    } catch (err) {
      if (!isIndexDamage(err) || !err.segment || attempt >= MAX_DAMAGED_SEGMENT_RETRIES) throw err;
      log?.error("index segment damaged: rebuilding it from the corpus", { file: err.file, reason: err.reason });
      quarantineSegment(config.dataDir, err.segment);
    }
  }
}

/** How many builds in a row may find a damaged segment (each one is rebuilt) before the build fails. */
const MAX_DAMAGED_SEGMENT_RETRIES = 4;

async function buildVersionOnce(config: IndexConfig, corpus: Corpus, log?: Logger, progress?: BuildProgress): Promise<string> {
  const started = Date.now();
  const infos = await buildSegments(config, corpus, log, progress);
  progress?.(infos.length, infos.length, "merge");
  // Milliseconds in the name: versions sort by time even when incremental builds finish within one second.
  const version = `${new Date()
    .toISOString()
    .replace(/[-:.Z]/g, "")
    .slice(0, 18)}-${corpus.hash.slice(0, 10)}`;
  fs.mkdirSync(versionsDir(config.dataDir), { recursive: true });
  const tmp = path.join(indexRoot(config.dataDir), `tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
  fs.mkdirSync(tmp, { recursive: true });
  try {
    writeVersion(config, corpus, infos, tmp, version, log);
    fs.renameSync(tmp, path.join(versionsDir(config.dataDir), version));
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const units = infos.reduce((n, s) => n + s.units, 0);
  log?.info("index version built", { version, documents: infos.length, units, ms: Date.now() - started });
  return version;
}

/** The version CURRENT points to, null when there is none; IndexDamagedError naming CURRENT when it is damaged. */
function readCurrent(dataDir: string): string | null {
  if (!fs.existsSync(currentFile(dataDir))) return null;
  const v = readSealed<{ version?: string }>(currentFile(dataDir)).version;
  return v && fs.existsSync(path.join(versionsDir(dataDir), v, "meta.json")) ? v : null;
}

/** The serving version (null when none is set, or CURRENT is damaged: openIndex then picks or builds one). */
export function currentVersion(dataDir: string): string | null {
  try {
    return readCurrent(dataDir);
  } catch {
    return null;
  }
}

/** Switch the serving version: one atomic rename of the pointer file. */
export function setCurrentVersion(dataDir: string, version: string): void {
  if (!fs.existsSync(path.join(versionsDir(dataDir), version, "meta.json"))) throw new Error(`No complete index version ${version}`);
  writeJsonAtomic(currentFile(dataDir), { version, switchedAt: new Date().toISOString() });
}

/** Complete versions, newest first (a version whose meta.json is damaged is left out: it cannot be used). */
export function listVersions(dataDir: string): IndexMeta[] {
  const dir = versionsDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((v) => fs.existsSync(path.join(dir, v, "meta.json")))
    .flatMap((v) => {
      try {
        return [readMeta(path.join(dir, v))];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version.localeCompare(a.version));
}

/** Keep the newest `keep` versions (never the current one), the segments they use, and no leftovers of killed builds. */
export function pruneVersions(dataDir: string, keep: number): void {
  const current = currentVersion(dataDir);
  listVersions(dataDir)
    .slice(keep)
    .filter((m) => m.version !== current)
    .forEach((m) => fs.rmSync(path.join(versionsDir(dataDir), m.version), { recursive: true, force: true }));
  removeDeadTemporaries(indexRoot(dataDir), (name) => name.startsWith("tmp-"));
  const store = segmentsDir(dataDir);
  if (!fs.existsSync(store)) return;
  removeDeadTemporaries(store, (name) => name.includes(".tmp-"));
  // A build in progress may hold segments no version lists yet: only segments older than an hour go.
  const used = new Set(listVersions(dataDir).flatMap((m) => m.documents.map((d) => d.segment)));
  for (const name of fs.readdirSync(store)) {
    const full = path.join(store, name);
    if (!name.includes(".tmp-") && !used.has(name) && Date.now() - fs.statSync(full).mtimeMs > 3600_000)
      fs.rmSync(full, { recursive: true, force: true });
  }
}

/** Directories named …tmp-<pid>-… whose process is gone. */
function removeDeadTemporaries(dir: string, isTemporary: (name: string) => boolean): void {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (!isTemporary(name)) continue;
    const pid = Number(/tmp-(\d+)/.exec(name)?.[1]);
    if (pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

const DOCUMENTS_FILE = "documents.jsonl";
const DUTIES_FILE = "duties.jsonl";
/** Every file of a version besides meta.json (the record of the others, checked by its own CRC). */
const VERSION_FILES = [
  ...Object.values(LEXICAL_FILES),
  VOCABULARY_FILE,
  "signatures.u32",
  DOCUMENTS_FILE,
  DUTIES_FILE,
  "glossary.json",
  "corpus.json",
  "agencies.json",
];

function readJsonLines<T>(file: string, files?: FileChecks): T[] {
  const out: T[] = [];
  forEachLine(
    file,
    (line) => {
      if (line) out.push(JSON.parse(line) as T);
    },
    files?.[path.basename(file)],
  );
  return out;
}

/** A small JSON file of a version, verified against its recorded check. */
function readVersionJson<T>(dir: string, name: string, files?: FileChecks): T {
  return JSON.parse(readChecked(path.join(dir, name), files?.[name])) as T;
}

/**
 * A version's segments as questions read them: segment.json read on first use (checked by its CRC), sections and
 * vectors verified against it before first use. Damage found is reported to `health`, which rebuilds the segment.
 */
function segmentReader(dirs: string[], health: IndexHealth) {
  const infos = new Map<string, SegmentInfo>();
  const guarded = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      if (isIndexDamage(err)) void health.report(err);
      throw err;
    }
  };
  const infoOf = (dir: string) => {
    let info = infos.get(dir);
    if (!info) infos.set(dir, (info = readSegmentInfo(dir)));
    return info;
  };
  return {
    sections: (d: number) => guarded(() => readSegmentSections(dirs[d]!, infoOf(dirs[d]!))),
    verifyVectors: (s: VectorSegment) => guarded(() => verifyFile(path.join(s.dir, "vectors.f32"), infoOf(s.dir).files?.["vectors.f32"])),
    /** Forget what was read of a rebuilt segment. */
    forget: (dir: string) => infos.delete(dir),
  };
}

/**
 * What a version holds per document — its metadata and segment directory — without reading any section,
 * postings or vectors: what administration compares a change against (a corpus of thousands of documents
 * is never parsed to tell which documents a change touched).
 */
export function versionDocuments(dataDir: string, version: string): { documents: DocumentMeta[]; segments: string[]; counts: number[] } {
  const dir = path.join(versionsDir(dataDir), version);
  const meta = readMeta(dir);
  const segments = meta.documents.map((d) => path.join(segmentsDir(dataDir), d.segment));
  const file = path.join(dir, DOCUMENTS_FILE);
  const documents = fs.existsSync(file) ? readJsonLines<DocumentMeta>(file, meta.files) : segments.map((d) => readSegmentInfo(d).doc);
  return { documents, segments, counts: meta.documents.map((d) => d.sections) };
}

/** Documents, duties and vector segments of a version: a few reads of version files, no segment's sections. */
function loadSegments(dataDir: string, dir: string, meta: IndexMeta, health: IndexHealth) {
  const dirs = meta.documents.map((d) => path.join(segmentsDir(dataDir), d.segment));
  // Versions written before documents.jsonl (format 3) keep working for rollback: read each segment's files.
  const old = !fs.existsSync(path.join(dir, DOCUMENTS_FILE));
  const infos = old ? dirs.map(readSegmentInfo) : undefined;
  const documents = infos ? infos.map((i) => i.doc) : readJsonLines<DocumentMeta>(path.join(dir, DOCUMENTS_FILE), meta.files);
  const duties = old
    ? [...mergedDuties(dirs.map((d, i) => ({ dir: d, info: infos![i] })))].map((l) => JSON.parse(l) as Duty)
    : readJsonLines<Duty>(path.join(dir, DUTIES_FILE), meta.files);
  const unitDoc = new Uint32Array(meta.units);
  const bases = new Uint32Array(meta.documents.length);
  let base = 0;
  const vectorSegments = meta.documents.map((d, i) => {
    bases[i] = base;
    unitDoc.fill(i, base, base + d.units);
    base += d.units;
    return { dir: dirs[i]!, base: bases[i]!, units: d.units, dims: d.dims ?? infos?.[i]?.dims ?? 0 };
  });
  if (base !== meta.units || documents.length !== meta.documents.length)
    throw new Error(`Index version ${meta.version} does not match its segments`);
  const reader = segmentReader(dirs, health);
  const store = new SectionStore(reader.sections, documents, bases, unitDoc);
  return { documents, duties, unitDoc, store, reader, vectors: new VectorStore(vectorSegments, reader.verifyVectors) };
}

/**
 * Rebuilds a damaged segment of `meta` from the corpus document it was made from: refused (the damage stays)
 * when the corpus no longer holds that exact document, glossary and agency table.
 */
async function rebuildSegment(config: IndexConfig, meta: IndexMeta, key: string): Promise<void> {
  const entry = meta.documents.find((d) => d.segment === key);
  if (!entry) throw new Error(`segment ${key} is not part of index version ${meta.version}`);
  const corpus = loadCorpus(config.corpusDir, embeddingsId(config));
  const doc = corpus.documents.find((d) => d.meta.id === entry.id);
  const raw = doc?.read();
  if (!doc || raw === undefined || segmentKey(corpus.identity, doc.meta, raw) !== key)
    throw new Error(`document ${entry.id} in ${config.corpusDir} is not the one index version ${meta.version} was built from`);
  quarantineSegment(config.dataDir, key);
  const info = await buildSegment(config.dataDir, segmentContext(config, corpus), doc.meta, raw);
  if (info.units !== entry.units) throw new Error(`segment ${key} rebuilt with ${info.units} units, ${entry.units} expected`);
}

/** Loads a version, verifying its files (IndexDamagedError naming the first damaged one); segments are verified
 * as they are first read. `log` receives what the version finds damaged while serving and its repairs. */
export async function loadVersion(config: IndexConfig, version: string, log?: Logger): Promise<LoadedIndex> {
  const dir = path.join(versionsDir(config.dataDir), version);
  const meta = readMeta(dir);
  const files = meta.files;
  const stored = readVersionJson<{ notInCorpus?: MissingDocument[]; profile?: Profile }>(dir, "corpus.json", files);
  const { notInCorpus = [], profile = EMPTY_PROFILE } = stored;
  const agencyTable: unknown = fs.existsSync(path.join(dir, "agencies.json")) ? readVersionJson(dir, "agencies.json", files) : null;
  let forget = (_dir: string) => {};
  const health = new IndexHealth(
    config.dataDir,
    async (key) => {
      await rebuildSegment(config, meta, key);
      forget(path.join(segmentsDir(config.dataDir), key));
    },
    log,
  );
  const { store, reader, ...loaded } = loadSegments(config.dataDir, dir, meta, health);
  forget = reader.forget;
  verifyFile(path.join(dir, "glossary.json"), files?.["glossary.json"]);
  const analyzer = createAnalyzer(loadGlossary(path.join(dir, "glossary.json")));
  const lexical = LexicalIndex.read(dir, files);
  const byDoc = new Map(loaded.documents.map((d) => [d.id, d]));
  return {
    ...loaded,
    meta,
    dir,
    notInCorpus,
    profile,
    agencyTable,
    get sections() {
      return store.all();
    },
    unit: (i) => store.unit(i),
    unitText: (i) => store.unitText(i),
    signatures: readUint32(path.join(dir, "signatures.u32"), files?.["signatures.u32"]),
    lexical,
    embeddings: createEmbeddings(config, analyzer, lexicalFeatureWeight(lexical)),
    analyzer,
    names: new NameIndex(
      loaded.documents,
      analyzer,
      notInCorpus.flatMap((m) => [m.name, ...m.aliases]),
    ),
    vocabulary: readVocabulary(dir, files?.[VOCABULARY_FILE]),
    section: (doc, id) => store.section(doc, id),
    sectionsOf: (doc) => store.sectionsOf(doc),
    document: (id) => byDoc.get(id),
    primary: primaryDocumentIds(loaded.documents),
    agencies: registryOfTable(agencyTable),
    dutyPlans: dutiesByPlan(loaded.duties),
    health,
  };
}

/**
 * The index for the corpus as it is now: the current version when its content hash matches, otherwise a
 * fresh build switched in atomically. A failed build throws and leaves the previous version in place. A
 * damaged current version (or CURRENT) is replaced by a new build; its segments are then swept in the background.
 */
export async function openIndex(config: IndexConfig, log?: Logger): Promise<LoadedIndex> {
  const index = await openVersion(config, log);
  void sweepSegments(config, index);
  return index;
}

/** The current version when it was built from this corpus and is intact, else a new build switched in. */
async function openVersion(config: IndexConfig, log?: Logger): Promise<LoadedIndex> {
  const corpus = loadCorpus(config.corpusDir, embeddingsId(config));
  // The fingerprint (file sizes and times) spares reading every document; the full hash decides otherwise.
  const builtFrom = (meta: IndexMeta) => (meta.fingerprint && meta.fingerprint === corpus.fingerprint) || meta.hash === corpus.hash;
  const current = servingVersion(config.dataDir, builtFrom, log);
  if (current) {
    try {
      if (builtFrom(readMeta(path.join(versionsDir(config.dataDir), current)))) return await loadVersion(config, current, log);
      log?.info("corpus changed, rebuilding index", { from: current });
    } catch (err) {
      if (!isIndexDamage(err)) throw err;
      log?.error("index version damaged: building a new one from the corpus", { version: current, file: err.file, reason: err.reason });
    }
  }
  let version: string;
  try {
    version = await buildVersion(config, corpus, log, buildProgressLog(log));
  } catch (err) {
    if (isIndexDamage(err)) throw new Error(`Cannot build the index: ${err.message}; remove that file's directory and start again`);
    throw err;
  }
  setCurrentVersion(config.dataDir, version);
  pruneVersions(config.dataDir, config.INDEX_KEEP_VERSIONS);
  return loadVersion(config, version, log);
}

/**
 * Checks every segment of a loaded version in the background (segment.json and each file's size: a stat, no
 * content read), a batch per timer tick, so that a truncated or missing file is found, reported and rebuilt
 * before a question needs it. The timers do not keep a process alive (a CLI exits when it is done).
 */
export function sweepSegments(config: IndexConfig, index: LoadedIndex, batch = 64): Promise<void> {
  const dirs = index.meta.documents.map((d) => path.join(segmentsDir(config.dataDir), d.segment));
  return new Promise((resolve) => {
    let i = 0;
    const step = () => {
      for (const end = Math.min(dirs.length, i + batch); i < end; i++) {
        try {
          checkStoredSegment(dirs[i]!);
        } catch (err) {
          if (isIndexDamage(err)) void index.health.report(err);
        }
      }
      if (i < dirs.length) setTimeout(step, 0).unref();
      else resolve();
    };
    setTimeout(step, 0).unref();
  });
}

/** CURRENT's version; when CURRENT is damaged, the newest version built from this corpus (CURRENT is rewritten). */
function servingVersion(dataDir: string, builtFrom: (meta: IndexMeta) => boolean, log?: Logger): string | null {
  try {
    return readCurrent(dataDir);
  } catch (err) {
    if (!isIndexDamage(err)) throw err;
    const match = listVersions(dataDir).find(builtFrom)?.version ?? null;
    log?.error("index pointer damaged", { file: err.file, reason: err.reason, using: match ?? "a new build" });
    if (match) setCurrentVersion(dataDir, match);
    return match;
  }
}

/** Logs build progress about every tenth of the documents. */
export function buildProgressLog(log?: Logger): BuildProgress | undefined {
  if (!log) return undefined;
  let lastTenth = -1;
  return (done, total, phase) => {
    const tenth = Math.floor((10 * done) / Math.max(1, total));
    if (phase === "merge") log.info("index build: merging segments", { documents: total });
    else if (tenth !== lastTenth) log.info("index build: segments", { done, total });
    lastTenth = tenth;
  };
}
