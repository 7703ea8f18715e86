// What a change did, per document: added, removed or changed sections and manifest fields. Versions are
// compared document by document through their content-addressed segments: a document whose segment is the
// same is unchanged without reading it, and only changed documents have their sections read, one at a time,
// so a change to a corpus of thousands of documents never holds two parsed corpora.
import path from "node:path";
import type { Config } from "../config.js";
import { currentVersion, type LoadedIndex, versionDocuments } from "../index/store.js";
import { readSegmentSections, segmentsDir } from "../index/segment.js";
import type { DocumentMeta, Section } from "../types.js";

export interface DocDiff {
  id: string;
  shortTitle: string;
  kind: "added" | "removed" | "changed" | "unchanged";
  /** Sections after the change (before, for a removed document). */
  sections: number;
  added: number;
  removed: number;
  changed: number;
  /** Manifest fields that changed (title, status…). */
  meta: string[];
}

/** The documents of one version and where each one's segment (its sections) is stored. */
export interface VersionDocs {
  documents: DocumentMeta[];
  /** Segment directory by document id. */
  segments: Map<string, string>;
  /** Section count by document id (from the version's metadata, no segment read). */
  counts: Map<string, number>;
}

const EMPTY: VersionDocs = { documents: [], segments: new Map(), counts: new Map() };

const fingerprint = (s: Section) => JSON.stringify([s.heading, s.paragraphs, s.fields ?? null, s.note ?? null]);

/** Section fingerprints of one document by section id; empty when its segment cannot be read. */
function sectionPrints(dir: string | undefined): Map<string, string> {
  if (!dir) return new Map();
  try {
    return new Map(readSegmentSections(dir).map((s) => [s.id, fingerprint(s)]));
  } catch {
    return new Map();
  }
}

function changedFields(old: DocumentMeta | undefined, now: DocumentMeta | undefined): string[] {
  if (!old || !now) return [];
  return (Object.keys({ ...old, ...now }) as Array<keyof DocumentMeta>).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]));
}

/** Section counts of a document whose segment changed: its sections before and after, compared by id. */
function sectionChanges(before: string | undefined, after: string | undefined) {
  const bs = sectionPrints(before);
  const as = sectionPrints(after);
  const added = [...as.keys()].filter((k) => !bs.has(k)).length;
  const removed = [...bs.keys()].filter((k) => !as.has(k)).length;
  const changed = [...as.keys()].filter((k) => bs.has(k) && bs.get(k) !== as.get(k)).length;
  return { added, removed, changed, before: bs.size, after: as.size };
}

function diffDocument(id: string, before: VersionDocs, after: VersionDocs, old?: DocumentMeta, now?: DocumentMeta): DocDiff {
  const shortTitle = (now ?? old)!.shortTitle;
  const meta = changedFields(old, now);
  const base = { id, shortTitle, added: 0, removed: 0, changed: 0, meta };
  const segBefore = before.segments.get(id);
  const segAfter = after.segments.get(id);
  if (old && now && segBefore === segAfter) return { ...base, kind: "unchanged", sections: after.counts.get(id) ?? 0 };
  const c = sectionChanges(old && segBefore, now && segAfter);
  const kind = !old ? "added" : !now ? "removed" : c.added || c.removed || c.changed || meta.length ? "changed" : "unchanged";
  const sections = now ? (after.counts.get(id) ?? c.after) : (before.counts.get(id) ?? c.before);
  return { ...base, kind, sections, added: c.added, removed: c.removed, changed: c.changed };
}

/** Per-document differences between two versions, in the new version's document order, removed ones last. */
export function diffVersions(before: VersionDocs, after: VersionDocs): DocDiff[] {
  const oldById = new Map(before.documents.map((d) => [d.id, d]));
  const newById = new Map(after.documents.map((d) => [d.id, d]));
  const ids = [...new Set([...newById.keys(), ...oldById.keys()])];
  return ids.map((id) => diffDocument(id, before, after, oldById.get(id), newById.get(id)));
}

/** A loaded version's documents; `dataDir` is the one it was built in (a preview builds in its own). */
export function docsOfIndex(dataDir: string, index: LoadedIndex): VersionDocs {
  const store = segmentsDir(dataDir);
  return {
    documents: index.documents,
    segments: new Map(index.meta.documents.map((d) => [d.id, path.join(store, d.segment)])),
    counts: new Map(index.meta.documents.map((d) => [d.id, d.sections])),
  };
}

/** The version serving now (empty when none serves or it cannot be read: the change may be repairing it). */
export function servingDocs(config: Config): VersionDocs {
  const version = currentVersion(config.dataDir);
  if (!version) return EMPTY;
  try {
    const { documents, segments, counts } = versionDocuments(config.dataDir, version);
    return {
      documents,
      segments: new Map(documents.map((d, i) => [d.id, segments[i]!])),
      counts: new Map(documents.map((d, i) => [d.id, counts[i]!])),
    };
  } catch {
    return EMPTY;
  }
}
