// What a change did, per document: added, removed or changed sections and manifest fields.
import type { Config } from "../config.js";
import { loadCorpus } from "../corpus/load.js";
import { embeddingsId, parseCorpus } from "../index/store.js";
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

export interface ParsedCorpus {
  documents: DocumentMeta[];
  sections: Section[];
}

const fingerprint = (s: Section) => JSON.stringify([s.heading, s.paragraphs, s.fields ?? null, s.note ?? null]);

/** Section fingerprints by document, then by section id. */
function sectionsByDoc(p: ParsedCorpus): Map<string, Map<string, string>> {
  const m = new Map<string, Map<string, string>>();
  for (const s of p.sections) {
    if (!m.has(s.doc)) m.set(s.doc, new Map());
    m.get(s.doc)!.set(s.id, fingerprint(s));
  }
  return m;
}

function changedFields(old: DocumentMeta | undefined, now: DocumentMeta | undefined): string[] {
  if (!old || !now) return [];
  return (Object.keys({ ...old, ...now }) as Array<keyof DocumentMeta>).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]));
}

export function diffCorpora(before: ParsedCorpus, after: ParsedCorpus): DocDiff[] {
  const b = sectionsByDoc(before);
  const a = sectionsByDoc(after);
  const ids = [...new Set([...after.documents.map((d) => d.id), ...before.documents.map((d) => d.id)])];
  return ids.map((id) => {
    const old = before.documents.find((d) => d.id === id);
    const now = after.documents.find((d) => d.id === id);
    const bs = b.get(id) ?? new Map<string, string>();
    const as = a.get(id) ?? new Map<string, string>();
    const added = [...as.keys()].filter((k) => !bs.has(k)).length;
    const removed = [...bs.keys()].filter((k) => !as.has(k)).length;
    const changed = [...as.keys()].filter((k) => bs.has(k) && bs.get(k) !== as.get(k)).length;
    const meta = changedFields(old, now);
    const kind = !old ? "added" : !now ? "removed" : added || removed || changed || meta.length ? "changed" : "unchanged";
    return { id, shortTitle: (now ?? old)!.shortTitle, kind, sections: (now ? as : bs).size, added, removed, changed, meta };
  });
}

/** The live corpus as parsed now (empty when it does not parse: the change may be repairing it). */
export function parseLive(config: Config): ParsedCorpus {
  try {
    return parseCorpus(loadCorpus(config.corpusDir, embeddingsId(config)));
  } catch {
    return { documents: [], sections: [] };
  }
}
