// Corpus → duties: parse each selected document with its manifest style and extract duties (the matrix CLI).
// Serving reads the duties the index build extracted per document (src/index/segment.ts).
import fs from "node:fs";
import path from "node:path";
import type { DocumentMeta, Section } from "../types.js";
import { carriesDuties, readManifest } from "../corpus/manifest.js";
import { parseSections } from "../sections/parse.js";
import { createAgencyRegistry, EMPTY_AGENCY_TABLE, loadAgencyRegistry, type AgencyRegistry } from "./agencies.js";
import { extractDuties } from "./extract.js";
import type { Duty } from "./types.js";

export interface CorpusDuties {
  duties: Duty[];
  /** Every manifest entry (answers need titles of all documents). */
  docs: DocumentMeta[];
  sections: Section[];
  agencies: AgencyRegistry;
}

export interface LoadDutiesOptions {
  /** Documents to extract from; default: those that carry duties (manifest "duties", else style plan). */
  docIds?: string[];
  /** Extract from every document (rules are tuned for plans; other styles are best effort). */
  all?: boolean;
}

/** The corpus's own agencies.json; without one, agencies are only found by their form (no alias table). */
export function agenciesFor(corpusDir: string): AgencyRegistry {
  const file = path.join(corpusDir, "agencies.json");
  return fs.existsSync(file) ? loadAgencyRegistry(file) : createAgencyRegistry(EMPTY_AGENCY_TABLE);
}

export function loadCorpusDuties(corpusDir: string, opts: LoadDutiesOptions = {}): CorpusDuties {
  const { documents } = readManifest(corpusDir);
  const agencies = agenciesFor(corpusDir);
  const selected = documents.filter((d) => (opts.all ? true : opts.docIds ? opts.docIds.includes(d.id) : carriesDuties(d)));
  const sections = selected.flatMap((d) => parseSections(d.id, fs.readFileSync(path.join(corpusDir, d.file), "utf8"), d.style));
  return { duties: extractDuties(sections, { agencies, docs: documents }), docs: documents, sections, agencies };
}

/**
 * Duties from already-parsed sections (a document being previewed): by default only the documents that carry
 * duties (manifest `duties`, else the plan-style documents, whose phrasing the rules are made for).
 */
export function dutiesFromSections(sections: Section[], docs: DocumentMeta[], opts: { all?: boolean; agencies: AgencyRegistry }): Duty[] {
  const plan = new Set(docs.filter((d) => opts.all || carriesDuties(d)).map((d) => d.id));
  return extractDuties(
    sections.filter((s) => plan.has(s.doc)),
    { docs, agencies: opts.agencies },
  );
}

/**
 * Duties of a loaded index version: extracted per document, with the version's agency table, when the version
 * was built, and loaded with it.
 */
export function dutiesForIndex(index: { duties: Duty[] }): Duty[] {
  return index.duties;
}
