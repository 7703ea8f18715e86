// Sections → a persisted, versioned index (lexical BM25 + HNSWLib vectors).
// Each build goes to a fresh directory and is switched in atomically (rename of a pointer file), so a failed
// or killed build leaves the previous version serving. The last INDEX_KEEP_VERSIONS versions stay for rollback.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Document } from "@langchain/core/documents";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import type { Config } from "../config.js";
import { loadCorpus, type Corpus } from "../corpus/load.js";
import { EMPTY_PROFILE, type MissingDocument, type Profile } from "../corpus/manifest.js";
import type { Logger } from "../log.js";
import { ownText, parseSections } from "../sections/parse.js";
import { createAnalyzer, type Analyzer } from "../text/analyzer.js";
import { loadGlossary } from "../text/glossary.js";
import type { DocumentMeta, Section } from "../types.js";
import { createEmbeddings, HashEmbeddings } from "./embeddings.js";
import { LexicalIndex, type LexicalData } from "./lexical.js";

export interface IndexMeta {
  version: string;
  hash: string;
  createdAt: string;
  embeddings: string;
  documents: { id: string; sections: number }[];
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
  /** Every section of every document, in document order. */
  sections: Section[];
  /** Retrieval units, one per paragraph of own text (lexical index i ↔ units[i]). */
  units: Unit[];
  unitTexts: string[];
  lexical: LexicalIndex;
  vectors: HNSWLib;
  analyzer: Analyzer;
  section(doc: string, id: string): Section | undefined;
}

const indexRoot = (dataDir: string) => path.join(dataDir, "index");
const versionsDir = (dataDir: string) => path.join(indexRoot(dataDir), "versions");
const currentFile = (dataDir: string) => path.join(indexRoot(dataDir), "CURRENT");

/** A paragraph of a section: long sections (a Mục with eight bullets) are found by the bullet that matches. */
export interface Unit {
  section: Section;
  text: string;
}

/** Paragraph units of every section with text; short blocks (signature) stay whole. */
export function unitsOf(sections: Section[]): Unit[] {
  return sections.flatMap((section) => {
    const own = ownText(section);
    if (!own.length) return [];
    if (section.id === "signature") return [{ section, text: own.join(" ") }];
    return own.flatMap((p) => chunkParagraph(p).map((text) => ({ section, text })));
  });
}

const CHUNK = 450;

/** A very long enumeration ("…; …; …") is indexed clause group by clause group, so one clause can be found. */
export function chunkParagraph(paragraph: string): string[] {
  if (paragraph.length <= CHUNK * 1.5) return [paragraph];
  const out: string[] = [];
  let current = "";
  for (const clause of paragraph.split(/(?<=;)\s+/u)) {
    if (current && current.length + clause.length > CHUNK) {
      out.push(current);
      current = "";
    }
    current = current ? `${current} ${clause}` : clause;
  }
  if (current) out.push(current);
  return out;
}

/** The text a unit is found by: where it sits (breadcrumb), what it says, its table cells; the preamble also
 * carries the document's title and number so "văn bản nào, số mấy" questions find it. */
export function unitText(u: Unit, meta?: DocumentMeta): string {
  const fields = Object.entries(u.section.fields ?? {}).map(([k, v]) => `${k}: ${v}`);
  const about =
    u.section.id === "preamble" && meta
      ? [
          meta.title,
          `Số hiệu: ${meta.number ?? ""}`,
          `Ngày ban hành: ${meta.date ? meta.date.split("-").reverse().join("/") : ""}`,
          `Cơ quan ban hành: ${meta.issuer}`,
        ]
      : [];
  return [...u.section.breadcrumb, u.text, ...fields, ...about].join("\n");
}

export function embeddingsId(config: Config): string {
  return config.EMBEDDINGS_PROVIDER === "openai" ? `openai:${config.EMBEDDINGS_MODEL}` : "hash:1024";
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

/** Parse every document; throws (English) naming the document when one yields no usable section. */
export function parseCorpus(corpus: Corpus): { documents: DocumentMeta[]; sections: Section[] } {
  const sections: Section[] = [];
  for (const { meta, raw } of corpus.documents) {
    if (!raw.trim()) throw new Error(`Document ${meta.id} is empty`);
    const parsed = parseSections(meta.id, raw, meta.style);
    if (!parsed.some((s) => ownText(s).length > 0)) throw new Error(`Document ${meta.id} produced no section with text`);
    sections.push(...parsed);
  }
  return { documents: corpus.documents.map((d) => d.meta), sections };
}

/** Build a new index version from the corpus into a fresh directory; does not switch to it. */
export async function buildVersion(config: Config, corpus: Corpus, log?: Logger): Promise<string> {
  const started = Date.now();
  const { documents, sections } = parseCorpus(corpus);
  const analyzer = createAnalyzer(loadGlossary(corpus.glossaryPath));
  const units = unitsOf(sections);
  const texts = units.map((u) => unitText(u, documents.find((d) => d.id === u.section.doc)));
  const lexical = LexicalIndex.build(texts.map((t) => analyzer.documentFeatures(t)));
  const idf = HashEmbeddings.fitIdf(analyzer, texts);
  const embeddings = createEmbeddings(config, analyzer, idf);
  const vectors = await HNSWLib.fromDocuments(
    units.map((u, i) => new Document({ pageContent: texts[i]!, metadata: { i, doc: u.section.doc, section: u.section.id } })),
    embeddings,
  );

  const version = `${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${corpus.hash.slice(0, 10)}`;
  fs.mkdirSync(versionsDir(config.dataDir), { recursive: true });
  const tmp = path.join(indexRoot(config.dataDir), `tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await vectors.save(path.join(tmp, "vectors"));
    const { notInCorpus, profile } = corpus;
    fs.writeFileSync(path.join(tmp, "sections.json"), JSON.stringify({ documents, sections, notInCorpus, profile }));
    fs.writeFileSync(path.join(tmp, "lexical.json"), JSON.stringify(lexical.toJSON()));
    fs.writeFileSync(path.join(tmp, "idf.json"), JSON.stringify(idf));
    fs.copyFileSync(corpus.glossaryPath, path.join(tmp, "glossary.json"));
    if (corpus.agenciesPath) fs.copyFileSync(corpus.agenciesPath, path.join(tmp, "agencies.json"));
    const meta: IndexMeta = {
      version,
      hash: corpus.hash,
      createdAt: new Date().toISOString(),
      embeddings: embeddingsId(config),
      documents: documents.map((d) => ({ id: d.id, sections: sections.filter((s) => s.doc === d.id).length })),
    };
    // meta.json last: a directory without it is an unfinished build.
    fs.writeFileSync(path.join(tmp, "meta.json"), JSON.stringify(meta, null, 1));
    fs.renameSync(tmp, path.join(versionsDir(config.dataDir), version));
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  log?.info("index version built", { version, units: units.length, ms: Date.now() - started });
  return version;
}

export function currentVersion(dataDir: string): string | null {
  try {
    const v = (JSON.parse(fs.readFileSync(currentFile(dataDir), "utf8")) as { version?: string }).version;
    return v && fs.existsSync(path.join(versionsDir(dataDir), v, "meta.json")) ? v : null;
  } catch {
    return null;
  }
}

/** Switch the serving version: one atomic rename of the pointer file. */
export function setCurrentVersion(dataDir: string, version: string): void {
  if (!fs.existsSync(path.join(versionsDir(dataDir), version, "meta.json"))) throw new Error(`No complete index version ${version}`);
  writeJsonAtomic(currentFile(dataDir), { version, switchedAt: new Date().toISOString() });
}

/** Complete versions, newest first. */
export function listVersions(dataDir: string): IndexMeta[] {
  const dir = versionsDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((v) => fs.existsSync(path.join(dir, v, "meta.json")))
    .map((v) => JSON.parse(fs.readFileSync(path.join(dir, v, "meta.json"), "utf8")) as IndexMeta)
    .sort((a, b) => b.version.localeCompare(a.version));
}

/** Keep the newest `keep` versions (never the current one) and remove leftovers of killed builds. */
export function pruneVersions(dataDir: string, keep: number): void {
  const current = currentVersion(dataDir);
  listVersions(dataDir)
    .slice(keep)
    .filter((m) => m.version !== current)
    .forEach((m) => fs.rmSync(path.join(versionsDir(dataDir), m.version), { recursive: true, force: true }));
  const root = indexRoot(dataDir);
  if (fs.existsSync(root))
    for (const name of fs.readdirSync(root)) {
      if (!name.startsWith("tmp-")) continue;
      const pid = Number(name.split("-")[1]);
      if (pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
    }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function loadVersion(config: Config, version: string): Promise<LoadedIndex> {
  const dir = path.join(versionsDir(config.dataDir), version);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")) as IndexMeta;
  const stored = JSON.parse(fs.readFileSync(path.join(dir, "sections.json"), "utf8")) as {
    documents: DocumentMeta[];
    sections: Section[];
    notInCorpus?: MissingDocument[];
    profile?: Profile;
  };
  const { documents, sections, notInCorpus = [], profile = EMPTY_PROFILE } = stored;
  const agenciesFile = path.join(dir, "agencies.json");
  const agencyTable: unknown = fs.existsSync(agenciesFile) ? JSON.parse(fs.readFileSync(agenciesFile, "utf8")) : null;
  const analyzer = createAnalyzer(loadGlossary(path.join(dir, "glossary.json")));
  const idf = JSON.parse(fs.readFileSync(path.join(dir, "idf.json"), "utf8")) as Record<string, number>;
  const lexical = LexicalIndex.fromJSON(JSON.parse(fs.readFileSync(path.join(dir, "lexical.json"), "utf8")) as LexicalData);
  const vectors = await HNSWLib.load(path.join(dir, "vectors"), createEmbeddings(config, analyzer, idf));
  const units = unitsOf(sections);
  const byKey = new Map(sections.map((s) => [`${s.doc}#${s.id}`, s]));
  return {
    meta,
    dir,
    documents,
    notInCorpus,
    profile,
    agencyTable,
    sections,
    units,
    unitTexts: units.map((u) => unitText(u, documents.find((d) => d.id === u.section.doc))),
    lexical,
    vectors,
    analyzer,
    section: (doc, id) => byKey.get(`${doc}#${id}`),
  };
}

/**
 * The index for the corpus as it is now: the current version when its content hash matches, otherwise a
 * fresh build switched in atomically. A failed build throws and leaves the previous version in place.
 */
export async function openIndex(config: Config, log?: Logger): Promise<LoadedIndex> {
  const corpus = loadCorpus(config.corpusDir, embeddingsId(config));
  const current = currentVersion(config.dataDir);
  if (current) {
    const meta = JSON.parse(fs.readFileSync(path.join(versionsDir(config.dataDir), current, "meta.json"), "utf8")) as IndexMeta;
    if (meta.hash === corpus.hash) return loadVersion(config, current);
    log?.info("corpus changed, rebuilding index", { from: current });
  }
  const version = await buildVersion(config, corpus, log);
  setCurrentVersion(config.dataDir, version);
  pruneVersions(config.dataDir, config.INDEX_KEEP_VERSIONS);
  return loadVersion(config, version);
}
