// One document's part of an index: its sections, paragraph units, lexical postings, vectors, near-duplicate
// signatures and duty records. Segments live in a content-addressed store (data/index/segments/<key>/): the key
// hashes everything the segment is made from, so versions share unchanged segments and a change to one
// document rebuilds one segment.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Embeddings } from "@langchain/core/embeddings";
import { carriesDuties } from "../corpus/manifest.js";
import type { AgencyRegistry } from "../duties/agencies.js";
import { extractDuties } from "../duties/extract.js";
import type { Duty } from "../duties/types.js";
import { ownText, parseSections } from "../sections/parse.js";
import type { Analyzer } from "../text/analyzer.js";
import { addFeatures, type Token } from "../text/tokens.js";
import type { DocumentMeta, Section } from "../types.js";
import { readUint32, writeTyped } from "./binary.js";
import { documentVector, HashEmbeddings } from "./embeddings.js";
import { checkSize, checksOf, type FileChecks, IndexDamagedError, readChecked, readSealed, sealJson } from "./integrity.js";
import { LEXICAL_FILES, LexicalIndex } from "./lexical.js";
import { unitsOf, unitText } from "./units.js";

export interface SegmentInfo {
  key: string;
  doc: DocumentMeta;
  sections: number;
  units: number;
  dims: number;
  /** Size and CRC-32 of each file of the segment (segments written before checksums have none). */
  files?: FileChecks;
}

/** Every file of a segment besides segment.json (the record of the others, checked by its own CRC). */
export const SEGMENT_FILES = [...Object.values(LEXICAL_FILES), "vectors.f32", "signatures.u32", "sections.json", "duties.json"];

export interface SegmentContext {
  analyzer: Analyzer;
  embeddings: Embeddings;
  agencies: AgencyRegistry;
  /** Everything besides the document that shapes a segment: code version, embeddings, glossary, agencies. */
  identity: string;
}

export const segmentsDir = (dataDir: string) => path.join(dataDir, "index", "segments");

export function segmentKey(identity: string, meta: DocumentMeta, raw: string): string {
  return crypto.createHash("sha256").update(identity).update(JSON.stringify(meta)).update("\n").update(raw).digest("hex").slice(0, 24);
}

/** Parse a document; throws (English) naming it when it yields no usable section. */
export function parseDocument(meta: DocumentMeta, raw: string): Section[] {
  if (!raw.trim()) throw new Error(`Document ${meta.id} is empty`);
  const sections = parseSections(meta.id, raw, meta.style);
  if (!sections.some((s) => ownText(s).length > 0)) throw new Error(`Document ${meta.id} produced no section with text`);
  return sections;
}

/** Letters of the folded syllables only: copies that differ in numbers and digits share a signature. */
function signature(tokens: Token[]): number {
  let h = 0x811c9dc5;
  for (const t of tokens) {
    if (/\d/.test(t.fold)) continue;
    for (let i = 0; i < t.fold.length; i++) h = Math.imul(h ^ t.fold.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 32, 0x01000193);
  }
  return h >>> 0;
}

/** Scaled to length 1, so a dot product is the cosine. */
export function unitLength(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

async function vectorsOf(ctx: SegmentContext, texts: string[], tokens: Token[][]): Promise<{ data: Float32Array; dims: number }> {
  // The offline embeddings reuse the tokens already made for the lexical side (each paragraph analysed once).
  const rows =
    ctx.embeddings instanceof HashEmbeddings
      ? tokens.map((t) => documentVector(t))
      : (await ctx.embeddings.embedDocuments(texts)).map((v) => unitLength(Float32Array.from(v)));
  const dims = rows[0]?.length ?? 0;
  const data = new Float32Array(rows.length * dims);
  rows.forEach((r, i) => data.set(r, i * dims));
  return { data, dims };
}

/** Build one document's segment into the store (a no-op when the store already holds its key). */
export async function buildSegment(dataDir: string, ctx: SegmentContext, meta: DocumentMeta, raw: string): Promise<SegmentInfo> {
  const key = segmentKey(ctx.identity, meta, raw);
  const dir = path.join(segmentsDir(dataDir), key);
  if (fs.existsSync(path.join(dir, "segment.json"))) return readSegmentInfo(dir);
  const sections = parseDocument(meta, raw);
  const units = unitsOf(sections);
  const texts = units.map((u) => unitText(u, meta));
  const tokens = texts.map((t) => ctx.analyzer.documentTokens(t));
  const bags = tokens.map((t) => {
    const bag = new Map<string, number>();
    addFeatures(bag, t, { accented: true });
    return bag;
  });
  const vectors = await vectorsOf(ctx, texts, tokens);
  const duties = carriesDuties(meta) ? extractDuties(sections, { agencies: ctx.agencies, docs: [meta] }) : [];
  const info: SegmentInfo = { key, doc: meta, sections: sections.length, units: units.length, dims: vectors.dims };
  const tmp = `${dir}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    LexicalIndex.build(bags).write(tmp);
    writeTyped(path.join(tmp, "vectors.f32"), vectors.data);
    writeTyped(path.join(tmp, "signatures.u32"), Uint32Array.from(tokens, signature));
    fs.writeFileSync(path.join(tmp, "sections.json"), JSON.stringify(sections));
    fs.writeFileSync(path.join(tmp, "duties.json"), JSON.stringify(duties));
    info.files = checksOf(tmp, SEGMENT_FILES);
    // segment.json last: a directory without it is unfinished.
    fs.writeFileSync(path.join(tmp, "segment.json"), sealJson(info));
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // Another build finished the same segment first: use it.
    if (fs.existsSync(path.join(dir, "segment.json"))) return readSegmentInfo(dir);
    throw err;
  }
  return info;
}

/** segment.json, checked by its own CRC (IndexDamagedError naming it otherwise). */
export function readSegmentInfo(dir: string): SegmentInfo {
  return readSealed<SegmentInfo>(path.join(dir, "segment.json"));
}

/** A segment's JSON file, verified against its recorded check (IndexDamagedError naming the file otherwise). */
function readSegmentJson<T>(dir: string, name: string, info?: SegmentInfo): T {
  const file = path.join(dir, name);
  const text = readChecked(file, info?.files?.[name]);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new IndexDamagedError(file, `not valid JSON: ${(err as Error).message}`);
  }
}

export const readSegmentSections = (dir: string, info?: SegmentInfo) => readSegmentJson<Section[]>(dir, "sections.json", info);

export const readSegmentDuties = (dir: string, info?: SegmentInfo) => readSegmentJson<Duty[]>(dir, "duties.json", info);

export const readSegmentSignatures = (dir: string, info?: SegmentInfo) =>
  readUint32(path.join(dir, "signatures.u32"), info?.files?.["signatures.u32"]);

/**
 * A stored segment that may be reused: segment.json intact and every file present with its recorded size (a
 * stat each, no content read: contents are verified when read). Throws IndexDamagedError naming the file.
 */
export function checkStoredSegment(dir: string): SegmentInfo {
  const info = readSegmentInfo(dir);
  for (const name of SEGMENT_FILES) checkSize(path.join(dir, name), info.files?.[name]);
  return info;
}

/** Moves a damaged segment out of the store (kept beside it for an hour for inspection), so it is rebuilt. */
export function quarantineSegment(dataDir: string, key: string): void {
  const dir = path.join(segmentsDir(dataDir), key);
  const aside = `${dir}.damaged-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  try {
    fs.renameSync(dir, aside);
    // Pruning removes directories no version uses an hour after their last change: an hour from now.
    fs.utimesSync(aside, new Date(), new Date());
  } catch (err) {
    // Another process moved it first.
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}
