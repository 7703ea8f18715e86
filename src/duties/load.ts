// Corpus → duties: parse each selected document with its manifest style and extract duties. Used by the matrix
// CLI, and meant for the indexer (write duties.json next to the index) or the server at start-up.
import fs from "node:fs";
import path from "node:path";
import type { DocumentMeta, Section } from "../types.js";
import { carriesDuties, readManifest } from "../corpus/manifest.js";
import { parseSections } from "../sections/parse.js";
import { agenciesOfIndex, createAgencyRegistry, EMPTY_AGENCY_TABLE, loadAgencyRegistry, type AgencyRegistry } from "./agencies.js";
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
  const selected = documents.filter((d) =>
    opts.all ? true : opts.docIds ? opts.docIds.includes(d.id) : carriesDuties(d),
  );
  const sections = selected.flatMap((d) =>
    parseSections(d.id, fs.readFileSync(path.join(corpusDir, d.file), "utf8"), d.style),
  );
  return { duties: extractDuties(sections, { agencies, docs: documents }), docs: documents, sections, agencies };
}

/** Persist duties at indexing time (e.g. `${dataDir}/index/duties.json`). */
export function writeDutiesFile(file: string, duties: Duty[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ version: 1, duties }, null, 1));
}

export function readDutiesFile(file: string): Duty[] {
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: number; duties?: unknown };
  if (raw.version !== 1 || !Array.isArray(raw.duties)) throw new Error(`Unsupported duties file ${file}`);
  return raw.duties as Duty[];
}

/**
 * Duties from already-parsed sections (e.g. the loaded index's `sections`): by default only the documents that
 * carry duties (manifest `duties`, else the plan-style documents, whose phrasing the rules are made for).
 */
export function dutiesFromSections(
  sections: Section[],
  docs: DocumentMeta[],
  opts: { all?: boolean; agencies: AgencyRegistry },
): Duty[] {
  const plan = new Set(docs.filter((d) => opts.all || carriesDuties(d)).map((d) => d.id));
  return extractDuties(
    sections.filter((s) => plan.has(s.doc)),
    { docs, agencies: opts.agencies },
  );
}

const perIndex = new WeakMap<object, Duty[]>();

/** Duties of a loaded index (its sections, documents and agency table), computed once per index version. */
export function dutiesForIndex(index: { sections: Section[]; documents: DocumentMeta[]; agencyTable: unknown }): Duty[] {
  let duties = perIndex.get(index);
  if (!duties) perIndex.set(index, (duties = dutiesFromSections(index.sections, index.documents, { agencies: agenciesOfIndex(index) })));
  return duties;
}
