// Question → ranked sections: BM25 over Vietnamese features fused with HNSW vector similarity, then document
// and intent priors, then a coverage check (how much of the question's topic the section actually contains).
import { Document } from "@langchain/core/documents";
import { BaseRetriever } from "@langchain/core/retrievers";
import { TopK } from "../index/lexical.js";
import { unitLength } from "../index/segment.js";
import type { LoadedIndex } from "../index/store.js";
import type { AnalyzedQuery } from "../text/analyzer.js";
import type { Token } from "../text/tokens.js";
import { fold } from "../text/vietnamese.js";
import type { Intent, Section } from "../types.js";
import { asksAmount, detectIntent } from "./query.js";
import { correctSpelling } from "./spelling.js";

export interface RankedSection {
  section: Section;
  unit: number;
  score: number;
  lexical: number;
  vector: number;
  /** Share (0–1) of the question's topic words, IDF-weighted, found in this section. */
  coverage: number;
}

export interface Retrieval {
  question: string;
  query: AnalyzedQuery;
  intent: Intent;
  docHints: string[];
  ranked: RankedSection[];
}

const LEXICAL_WEIGHT = 0.75;
const VECTOR_WEIGHT = 0.25;
const CANDIDATES = 40;
/** The plan is what users ask about first; other documents answer when they match clearly better. */
const PRIMARY_DOC = "kh-ctr77";

/** Words that point at the province's own plan without naming it. */
const LOCAL_HINT = /\b(tinh|dak nong|dia phuong|ubnd tinh|so)\b/;

/** Title words of a section and of its parent ("Mục đích", "Thúc đẩy phát triển thị trường …"). */
function titleWords(index: LoadedIndex, section: Section): Set<string> {
  const parent = section.parent ? index.section(section.doc, section.parent) : undefined;
  const titles = [section, parent].filter((s): s is Section => !!s && !s.headingIsText).map((s) => s.heading);
  return new Set(index.analyzer.documentTokens(titles.join(" . ")).map((t) => t.fold));
}

/** IDF-weighted share of the question's topic words that a section's own title holds. */
function titleMatch(index: LoadedIndex, query: AnalyzedQuery, section: Section, docName?: Set<string>): number {
  const words = titleWords(index, section);
  if (!words.size || !query.content.length) return 0;
  let total = 0;
  let hit = 0;
  for (const t of query.content) {
    if (docName?.has(t.fold)) continue;
    const w = index.lexical.idf(`f:${t.fold}`);
    total += w;
    if (words.has(t.fold)) hit += w;
  }
  return total > 0 ? hit / total : 0;
}

const DATE_RE = /\b\d{1,2}\/\d{1,2}\b|định kỳ|hằng năm|hàng năm|trước ngày|thời hạn/u;
const AMOUNT_RE = /triệu đồng|tỷ đồng|\d+\s?%|tối đa|không quá/u;

/** IDF-weighted share of topic words (and of adjacent topic-word pairs) present in a section. */
export function coverageOf(
  index: LoadedIndex,
  query: AnalyzedQuery,
  unit: number,
  /** Words that name the document the section belongs to, when the question names it ("kế hoạch", "Kết luận 69"). */
  docName: Set<string> = new Set(),
): number {
  const content = query.content;
  if (content.length === 0) return 0;
  const maxIdf = Math.log(1 + index.lexical.size / 0.5);
  const idf = (k: string) => (index.lexical.df(k) > 0 ? index.lexical.idf(k) : maxIdf);
  const has = (k: string) => index.lexical.contains(k, unit);
  // Glossary phrases are our own spelling: "ký" (sign) must not be found in "định kỳ".
  const phraseIn = (p: Token[]) => p.length > 0 && p.every((t) => has(t.marked ? `a:${t.acc}` : `f:${t.fold}`));
  let total = 0;
  let covered = 0;
  for (const t of content) {
    const w = idf(`f:${t.fold}`);
    total += w;
    const alternatives = query.alternatives.get(t) ?? [];
    const namesDoc = docName.has(t.fold) || alternatives.some((p) => p.length > 0 && p.every((x) => docName.has(x.fold)));
    // A word typed with diacritics is matched as typed ("sở" is not "số"); its folded form counts half.
    if ((t.marked ? has(`a:${t.acc}`) : has(`f:${t.fold}`)) || namesDoc || alternatives.some(phraseIn)) covered += w;
    else if (t.marked && has(`f:${t.fold}`)) covered += w / 2;
  }
  const uni = covered / total;
  let biTotal = 0;
  let biCovered = 0;
  for (let i = 1; i < query.tokens.length; i++) {
    const a = query.tokens[i - 1]!;
    const b = query.tokens[i]!;
    if (b.brk || !content.includes(a) || !content.includes(b)) continue;
    const k = `f:${a.fold}_${b.fold}`;
    biTotal += 1;
    if (has(k) || (docName.has(a.fold) && docName.has(b.fold)) || query.alternatives.has(a) || query.alternatives.has(b)) biCovered += 1;
  }
  return biTotal === 0 ? uni : 0.7 * uni + 0.3 * (biCovered / biTotal);
}

// ── candidate generation ──────────────────────────────────────────────────────────────────────────

export interface Candidate {
  unit: number;
  /** BM25 score over the best BM25 score of the query (0–1). */
  lexical: number;
  /** Cosine similarity of the question's and the unit's vectors. */
  vector: number;
}

/** How much a document's sections are preferred when near-duplicates compete (by index in `documents`). */
function documentPreference(index: LoadedIndex, docHints: string[]): (doc: number) => number {
  const hinted = new Set(docHints);
  return (d) => {
    const doc = index.documents[d]!;
    const named = hinted.size ? (hinted.has(doc.id) ? 1.5 : 0.7) : doc.id === PRIMARY_DOC ? 1.25 : 1;
    return doc.status === "superseded" ? named * 0.85 : named;
  };
}

/**
 * The k best units for the query's features, from the postings they touch: near-duplicates (the same
 * paragraph in sibling documents) fill one place, taken by the copy in the most preferred document, so the pool
 * stays diverse as the corpus grows. Vector similarity is computed for the pool only.
 */
export async function candidates(
  index: LoadedIndex,
  features: Map<string, number>,
  question: string,
  k: number,
  prefer: (doc: number) => number = () => 1,
): Promise<Candidate[]> {
  const top = new TopK<{ unit: number; raw: number }>(k);
  let maxLex = 0;
  index.lexical.forEachScore(features, (unit, raw) => {
    if (raw > maxLex) maxLex = raw;
    top.offer(index.signatures[unit]!, { unit, raw }, raw * prefer(index.unitDoc[unit]!));
  });
  const pool = top.sorted().map((e) => e.item);
  const units = pool.map((c) => c.unit);
  const sims = units.length ? index.vectors.similarity(unitLength(Float32Array.from(await index.embeddings.embedQuery(question))), units) : new Map();
  return pool.map(({ unit, raw }) => ({ unit, lexical: maxLex > 0 ? raw / maxLex : 0, vector: sims.get(unit) ?? 0 }));
}

// ── ranking ───────────────────────────────────────────────────────────────────────────────────────

export async function retrieve(index: LoadedIndex, asked: string, k = 8): Promise<Retrieval> {
  const question = correctSpelling(index, asked);
  const query = index.analyzer.query(question);
  const intent = detectIntent(question);
  const expanded = [question, ...query.expansions.map((p) => p.map((t) => t.orig).join(" "))].join(" . ");
  const mention = index.names.mentioned(expanded);
  const docHints = mention.ids;
  // Words that only name the document select it (prior below); scoring them would favour its title page.
  if (mention.words.size) {
    // Also the expanded forms of abbreviations in names ("KL 69" → "kết luận 69"; KL is case-sensitive).
    const spelled = [...mention.words].join(" ");
    const naming = new Set(
      [...mention.words, ...[spelled, spelled.toUpperCase()].flatMap((n) => index.analyzer.documentTokens(n).map((t) => t.fold))],
    );
    for (const key of [...query.features.keys()])
      if (key.slice(2).split("_").every((w) => naming.has(fold(w)))) query.features.delete(key);
  }
  const amount = asksAmount(question);
  const local = LOCAL_HINT.test(fold(question));
  const pool = await candidates(index, query.features, question, CANDIDATES, documentPreference(index, docHints));

  const ranked: RankedSection[] = [];
  for (const { unit: i, lexical, vector } of pool) {
    const section = index.units[i]!.section;
    let score = LEXICAL_WEIGHT * lexical + VECTOR_WEIGHT * vector;
    const meta = index.document(section.doc);
    if (docHints.length) score *= docHints.includes(section.doc) ? 1.5 : 0.7;
    else if (section.doc === PRIMARY_DOC) score *= local ? 1.4 : 1.25;
    if (meta?.status === "superseded") score *= 0.85;
    // Appendix rows and the distribution list are terse; they answer only when nothing else does.
    if (section.id.startsWith("PL")) score *= 0.9;
    if (section.id === "recipients") score *= 0.7;
    // The title page repeats the document's whole subject; it answers questions about the document itself.
    if (section.id === "preamble" && intent !== "document_fact") score *= 0.8;
    const docName = docHints.includes(section.doc) && meta ? index.names.words(meta) : undefined;
    score *= 1 + 0.35 * titleMatch(index, query, section, docName);
    const text = index.unitTexts[i]!;
    if (intent === "deadline" && DATE_RE.test(text)) score *= 1.2;
    if (intent === "document_fact" && (section.id === "signature" || section.id === "preamble")) score *= 1.6;
    if (amount && AMOUNT_RE.test(text)) score *= 1.2;
    const coverage = coverageOf(index, query, i, docName);
    score *= 0.5 + 0.5 * coverage;
    ranked.push({ section, unit: i, score, lexical, vector, coverage });
  }
  ranked.sort((a, b) => b.score - a.score);
  // One entry per section: its best paragraph.
  const seen = new Set<string>();
  const bySection = ranked.filter((r) => {
    const key = `${r.section.doc}#${r.section.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { question: asked, query, intent, docHints, ranked: bySection.slice(0, k) };
}

/** The same ranking through LangChain's retriever interface (metadata carries ids and scores). */
export class HybridSectionRetriever extends BaseRetriever {
  override lc_namespace = ["tro-ly", "retrievers"];

  constructor(
    private readonly index: () => LoadedIndex,
    private readonly k = 5,
  ) {
    super();
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const index = this.index();
    const { ranked } = await retrieve(index, query, this.k);
    return ranked.map(
      (r) =>
        new Document({
          pageContent: index.unitTexts[r.unit]!,
          metadata: { doc: r.section.doc, section: r.section.id, score: r.score, coverage: r.coverage },
        }),
    );
  }
}
