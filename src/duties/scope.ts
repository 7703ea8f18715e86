// Reading a duty question: which plans it is about (named by number, alias, programme or province; else the
// primary plans), which agencies it names (not question words such as "sở nào", not those it excludes with
// "ngoài …" / "trừ …"), and whether it asks about a body outside the plans' reporting chains (a ministry).
import { primaryDocuments } from "../corpus/manifest.js";
import { AGENCY_HEADS, EXCLUDE_BEFORE, ISSUER_BEFORE, LOCATION_BEFORE, QUESTION_AFTER } from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";
import { DocumentNames } from "../corpus/names.js";
import type { DocumentMeta } from "../types.js";
import type { AgencyMention, AgencyRegistry } from "./agencies.js";
import type { Duty } from "./types.js";

/** Diacritic-free words separated by single spaces ("Sở KH&CN?" → " so kh cn "). */
export const words = (text: string) =>
  ` ${fold(text)
    .replace(/[^a-z0-9/]+/g, " ")
    .trim()} `;

/** Documents a question names by number or alias (the corpus's one name matcher). */
export function namedDocuments(question: string, docs: DocumentMeta[]): DocumentMeta[] {
  const ids = new DocumentNames(docs).mentioned(question).ids;
  return docs.filter((d) => ids.includes(d.id));
}

/** Duty records by plan, plans in order of their first record (made once per answer, not per plan). */
export function dutiesByPlan(duties: Duty[]): Map<string, Duty[]> {
  const byPlan = new Map<string, Duty[]>();
  for (const d of duties) {
    const list = byPlan.get(d.doc);
    if (list) list.push(d);
    else byPlan.set(d.doc, [d]);
  }
  return byPlan;
}

/** A document by its id. */
export type DocumentLookup = (id: string) => DocumentMeta | undefined;

/** Documents by id, made once per answer (a version can hold thousands; a reply cites many duties). */
export function lookupDocuments(docs: readonly DocumentMeta[]): DocumentLookup {
  const byId = new Map(docs.map((d) => [d.id, d]));
  return (id) => byId.get(id);
}

/**
 * The plans a duty question is answered from: those it names; else the primary plans that carry duties; else
 * every plan that does. Null when it names only documents without duty records (retrieval answers those).
 */
export function planScope(named: string[], byPlan: Map<string, Duty[]>, docs: DocumentMeta[]): string[] | null {
  const withDuties = [...byPlan.keys()];
  if (named.length) {
    const scoped = withDuties.filter((id) => named.includes(id));
    return scoped.length ? scoped : null;
  }
  const primary = primaryDocuments(docs)
    .map((d) => d.id)
    .filter((id) => byPlan.has(id));
  return primary.length ? primary : withDuties;
}

export interface ReadAgencies {
  /** Agencies the question asks about, left to right. */
  asked: AgencyMention[];
  /** Agencies it excludes. */
  excluded: Set<string>;
}

const HEADS = AGENCY_HEADS.map((h) => words(h));

/** The mention opens with an agency's head noun ("Sở …", "UBND …"), not a bare place name ("Bắc Lâm"). */
const headed = (mention: string) => {
  const w = words(mention);
  return HEADS.some((h) => w.startsWith(h));
};

export function readAgencies(question: string, reg: AgencyRegistry, mentions = reg.find(question)): ReadAgencies {
  const asked: AgencyMention[] = [];
  const excluded = new Set<string>();
  for (const m of mentions) {
    if (QUESTION_AFTER.test(words(question.slice(m.end)).replace(/^ *$/, " "))) continue;
    const before = words(question.slice(0, m.start));
    if (ISSUER_BEFORE.test(before) || (LOCATION_BEFORE.test(before.trimEnd()) && !headed(question.slice(m.start, m.end)))) continue;
    if (EXCLUDE_BEFORE.test(before)) excluded.add(m.agency.id);
    else asked.push(m);
  }
  return { asked, excluded };
}

/**
 * The question names a ministry ("Bộ Kế hoạch và Đầu tư") that no duty of these plans sends to or comes from: it
 * is about another document (a decree's reporting), not the plans' chain.
 */
export function asksOutsideChain(q: DutyQuestion, duties: Duty[]): boolean {
  if (!/ bo (?!phan |may |nganh )[a-z]/.test(q.words)) return false;
  const involved = (id: string) => duties.some((d) => d.recipient === id || d.actor === id);
  const ministries = q.mentions.filter((m) => fold(m.agency.name).startsWith("bo "));
  return !ministries.some((m) => involved(m.agency.id));
}

/** A duty question read once: its folded words, the agencies it mentions, asks about or excludes, the plans it names. */
export interface DutyQuestion extends ReadAgencies {
  text: string;
  /** Diacritic-free words, space-padded (see `words`). */
  words: string;
  /** Every agency name in the question, left to right. */
  mentions: AgencyMention[];
  /** Ids of the documents the question names. */
  named: string[];
}

/** Read a question for the duty layer; `named` comes from the question's analysis when there is one. */
export function readDutyQuestion(text: string, docs: DocumentMeta[], reg: AgencyRegistry, named?: string[]): DutyQuestion {
  const mentions = reg.find(text);
  return {
    text,
    words: words(text),
    mentions,
    ...readAgencies(text, reg, mentions),
    named: named ?? namedDocuments(text, docs).map((d) => d.id),
  };
}
