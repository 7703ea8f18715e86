// The corpus profile: everything about this deployment's documents that is not a document (province, the
// assistant's name and examples, document priors). Lives in manifest.json under "profile", so it is versioned,
// hashed and snapshotted with the documents; smoke questions are in checks.json next to it. No code names a
// document of the corpus.
import { z } from "zod";
import { primaryDocumentIds, type DocumentMeta } from "../types.js";
import { DocumentNames } from "./names.js";

/** A logistic model: P(answer is right) = σ(bias + Σ weight · feature); answer when P ≥ threshold. */
export const decisionSchema = z.object({
  weights: z.record(z.string(), z.number()),
  bias: z.number(),
  threshold: z.number().min(0).max(1),
  /** How it was fitted (data, cost, figures): for people, not read by code. */
  note: z.string().default(""),
});
export type Decision = z.infer<typeof decisionSchema>;

export const profileSchema = z.object({
  assistant: z
    .object({
      name: z.string().min(1).default("Trợ lý hỏi đáp văn bản"),
      /** What the assistant knows, as a noun phrase: "Kế hoạch … của UBND tỉnh X và các văn bản liên quan". */
      description: z.string().default(""),
      /** One line per group of documents for the refusal text ("Kế hoạch …: nhiệm vụ …; chế độ báo cáo"). */
      topics: z.array(z.string().min(1)).default([]),
      /** Example questions: greeting, Telegram /start buttons, the web page. */
      examples: z.array(z.string().min(1)).default([]),
    })
    .default({}),
  province: z
    .object({
      name: z.string().default(""),
      /** Words that point at the province's own plans without naming them ("tỉnh", "địa phương", "sở"). */
      localWords: z.array(z.string().min(1)).default([]),
    })
    .default({}),
  /** Optional per-document score multipliers for retrieval (document id → factor, 1 = neutral). */
  priors: z.record(z.string(), z.number().positive().max(10)).default({}),
  /** The fitted decision to answer (src/answer/decision.ts, scripts/fit-decision.mts); absent: coverage threshold. */
  decision: decisionSchema.optional(),
});

export type Profile = z.infer<typeof profileSchema>;

/** The profile of a corpus that has none: generic texts, no priors. */
export const EMPTY_PROFILE: Profile = profileSchema.parse({});

/** Example questions used when the profile lists none: the genre's own questions, no document named. */
const GENERIC_EXAMPLES = [
  "Ai phải báo cáo tình hình thực hiện kế hoạch, hạn khi nào?",
  "Sở Tài chính có nhiệm vụ gì trong kế hoạch?",
  "Doanh nghiệp khởi nghiệp sáng tạo được hỗ trợ những gì?",
];

export function exampleQuestions(profile: Profile): string[] {
  return profile.assistant.examples.length ? profile.assistant.examples : GENERIC_EXAMPLES;
}

/** What the assistant answers about, as a phrase: the profile's, else built from the primary documents. */
export function assistantSubject(profile: Profile, documents: DocumentMeta[]): string {
  if (profile.assistant.description) return profile.assistant.description;
  const primary = primaryDocuments(documents).map((d) => d.shortTitle);
  return primary.length ? `${primary.join("; ")} và các văn bản liên quan` : "các văn bản trong kho của trợ lý";
}

/** Topic lines for the refusal text: the profile's, else one line per document. */
export function assistantTopics(profile: Profile, documents: DocumentMeta[], most = LISTED_TOPICS): string[] {
  if (profile.assistant.topics.length) return profile.assistant.topics;
  const titles = documents.filter((d) => d.status !== "superseded").map((d) => d.shortTitle);
  // A corpus of hundreds of documents is not listed in a chat reply: the full list is /nguon.
  if (titles.length <= most) return titles;
  return [...titles.slice(0, most), `và ${titles.length - most} văn bản khác (gõ /nguon để xem danh sách)`];
}

/** Document titles listed as what the assistant can answer, when the profile names no topics. */
export const LISTED_TOPICS = 8;

/** The documents users mean when they name none (role "primary"; none marked: the plans), in manifest order. */
export function primaryDocuments(documents: DocumentMeta[]): DocumentMeta[] {
  const ids = primaryDocumentIds(documents);
  return documents.filter((d) => ids.has(d.id));
}

/** Whether duty records are extracted from this document (default: the plan-style documents). */
export function carriesDuties(doc: Pick<DocumentMeta, "duties" | "style">): boolean {
  return doc.duties ?? doc.style === "plan";
}

/**
 * The profile once a document is removed: texts derived from it go with it. A topic, example or description
 * that names the document (by number or alias, as questions do) is dropped; one that also names documents that
 * stay keeps them and loses only the removed one's entry in its list ("(Nghị định 80, Luật …)"). Its prior goes,
 * and the province when no remaining document's title or issuer names it any more.
 */
export function profileWithout(profile: Profile, documents: DocumentMeta[], id: string): Profile {
  const names = new DocumentNames(documents);
  const named = (text: string) => new Set(names.mentioned(text).ids);
  const namesRemoved = (text: string) => named(text).has(id);
  const others = (text: string) => [...named(text)].some((d) => d !== id);
  /** The text without the removed document, or null when nothing of it stays. */
  const strip = (text: string): string | null => {
    if (!namesRemoved(text)) return text;
    if (!others(text)) return null;
    const pruned = text
      .replace(/\(([^()]*)\)/g, (_whole, inner: string) => {
        const items = inner.split(/\s*[,;]\s*/).filter((item) => !namesRemoved(item) || others(item));
        return items.length ? `(${items.join(", ")})` : "";
      })
      .replace(/\s+/g, " ")
      .trim();
    return namesRemoved(pruned) ? null : pruned;
  };
  const kept = (lines: string[]) => lines.map(strip).filter((l): l is string => !!l);
  const remaining = documents.filter((d) => d.id !== id);
  const { [id]: _removed, ...priors } = profile.priors;
  const province = profile.province.name;
  const stillLocal = !province || remaining.some((d) => `${d.title} ${d.issuer}`.includes(province));
  return {
    ...profile,
    assistant: {
      ...profile.assistant,
      name: strip(profile.assistant.name) ?? EMPTY_PROFILE.assistant.name,
      description: strip(profile.assistant.description) ?? "",
      topics: kept(profile.assistant.topics),
      examples: kept(profile.assistant.examples),
    },
    province: stillLocal ? profile.province : { name: "", localWords: [] },
    priors,
  };
}
