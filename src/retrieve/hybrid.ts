// Question → ranked sections: BM25 over Vietnamese features fused with vector similarity, then document
// and intent priors, then a coverage check (how much of the question's topic the section actually contains).
import { Document } from "@langchain/core/documents";
import { BaseRetriever } from "@langchain/core/retrievers";
import { embedsAnalyzed } from "../index/embeddings.js";
import { unitLength } from "../index/segment.js";
import type { LoadedIndex } from "../index/store.js";
import type { AnalyzedQuery } from "../text/analyzer.js";
import { AMOUNT_HINT, DATE_HINT, DURATION_HINT, LOCAL_WORDS } from "../text/lexicon.js";
import type { Token } from "../text/tokens.js";
import type { Section } from "../types.js";
import { asksDefinition, definesAskedTerm, questionWords } from "./definition.js";
import { analyzeQuery, type Query } from "./query.js";
import { defaultRankingOptions, fusedScore, priorOf, type RankingOptions } from "./ranking.js";

export interface RankedSection {
  section: Section;
  unit: number;
  score: number;
  lexical: number;
  vector: number;
  /** Share (0–1) of the question's topic words, IDF-weighted, found in this section. */
  coverage: number;
  /** Share (0–1) of the question's topic words, IDF-weighted, in the section's own title or its parent's. */
  title: number;
  /** The same share of the sentences that ask (`Query.asking`); `coverage` when the whole question asks. */
  askingCoverage: number;
}

export interface Retrieval {
  query: Query;
  ranked: RankedSection[];
}

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
    // A translation or synonym in the title counts ("Science and Technology Day" → "Ngày khoa học và công nghệ").
    const alternatives = query.alternatives.get(t) ?? [];
    if (words.has(t.fold) || alternatives.some((p) => p.length > 0 && p.every((x) => words.has(x.fold)))) hit += w;
  }
  return total > 0 ? hit / total : 0;
}

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
  const w = defaultRankingOptions.bigramCoverage;
  return biTotal === 0 ? uni : (1 - w) * uni + w * (biCovered / biTotal);
}

// ── candidate generation ────────────────────────────────────────

export interface Candidate {
  unit: number;
  /** BM25 score over the best BM25 score of the query (0–1). */
  lexical: number;
  /** Cosine similarity of the question's and the unit's vectors. */
  vector: number;
}

/** How much a document's sections are preferred when near-duplicates compete (by index in `documents`). */
function documentPreference(index: LoadedIndex, query: Query, o: RankingOptions): (doc: number) => number {
  const named = new Set(query.documents.ids);
  const primary = index.primary;
  // Computed once per question for every document: the lexical top-k asks for it per touched unit.
  const preference = Float64Array.from(index.documents, (doc) => {
    const f = named.size ? (named.has(doc.id) ? o.namedDocument : o.otherThanNamed) : primary.has(doc.id) ? o.primaryDocument : 1;
    return doc.status === "superseded" ? f * o.superseded : f;
  });
  return (d) => preference[d]!;
}

/**
 * The k best units for the query, from the postings its features touch (no pass over the corpus):
 * near-duplicates (the same paragraph in sibling documents) take one place, held by the copy in the most
 * preferred document, so the pool stays diverse as the corpus grows. Vector similarity is computed for the pool.
 */
export async function candidates(
  index: LoadedIndex,
  query: Query,
  k: number,
  prefer: (doc: number) => number = () => 1,
): Promise<Candidate[]> {
  const { hits, max } = index.lexical.top(query.features, k, {
    group: (unit) => index.signatures[unit]!,
    weight: (unit) => prefer(index.unitDoc[unit]!),
  });
  const pool = hits.map((h) => ({ unit: h.i, raw: h.score }));
  if (!pool.length) return [];
  const embeddings = index.embeddings;
  const embedded = embedsAnalyzed(embeddings) ? embeddings.embedAnalyzed(query.analyzed) : await embeddings.embedQuery(query.repaired);
  const vector = unitLength(Float32Array.from(embedded));
  const sims = index.vectors.similarity(
    vector,
    pool.map((c) => c.unit),
  );
  return pool.map(({ unit, raw }) => ({ unit, lexical: max > 0 ? raw / max : 0, vector: sims.get(unit) ?? 0 }));
}

// ── ranking ────────────────────────────────────────

/** One entry per section (its best paragraph), best first. */
function bestPerSection(ranked: RankedSection[]): RankedSection[] {
  const seen = new Set<string>();
  return ranked
    .sort((a, b) => b.score - a.score)
    .filter((r) => {
      const key = `${r.section.doc}#${r.section.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Whether a unit holds every one of these question words, or a synonym or translation of it. */
function statesAll(index: LoadedIndex, query: AnalyzedQuery, words: Token[], unit: number): boolean {
  const has = (t: Token) => index.lexical.contains(`f:${t.fold}`, unit);
  return words.every((t) => has(t) || (query.alternatives.get(t) ?? []).some((p) => p.length > 0 && p.every(has)));
}

/**
 * Words of the question that select this section's document rather than describe the topic: the document's
 * names when the question names it, and "tỉnh" / the province's name for the province's own plan.
 */
function selectingWords(index: LoadedIndex, query: Query, doc: string, named: boolean, primary: boolean): Set<string> | undefined {
  const meta = index.document(doc);
  const names = named && meta ? index.names.words(meta) : undefined;
  if (!query.local || !primary || named) return names;
  const local = [...LOCAL_WORDS, index.profile.province.name, ...index.profile.province.localWords].join(" ");
  return new Set([...(names ?? []), ...index.analyzer.documentTokens(local).map((t) => t.fold)]);
}

export async function retrieve(index: LoadedIndex, asked: string | Query, k = 8, options = defaultRankingOptions): Promise<Retrieval> {
  const query = typeof asked === "string" ? analyzeQuery(index, asked) : asked;
  const primary = index.primary;
  const named = new Set(query.documents.ids);
  const ranked: RankedSection[] = [];
  const docNameOf = (doc: string) => selectingWords(index, query, doc, named.has(doc), primary.has(doc));
  const defining = asksDefinition(query.folded) ? questionWords(query.analyzed) : null;
  const tokens = (text: string) => index.analyzer.documentTokens(text);
  const pool = await candidates(index, query, options.candidates, documentPreference(index, query, options));
  const asking = query.asking?.analyzed;
  for (const { unit: i, lexical, vector } of pool) {
    const section = index.unit(i).section;
    const meta = index.document(section.doc);
    const docName = docNameOf(section.doc);
    const text = index.unitText(i);
    const coverage = coverageOf(index, query.analyzed, i, docName);
    const askingCoverage = asking ? coverageOf(index, asking, i, docName) : coverage;
    const title = titleMatch(index, query.analyzed, section, docName);
    const prior = priorOf(
      {
        section,
        documentPrior: index.profile.priors[section.doc] ?? 1,
        primary: primary.has(section.doc),
        superseded: meta?.status === "superseded",
        title,
        dated: DATE_HINT.test(text),
        amount: AMOUNT_HINT.test(text) && statesAll(index, query.analyzed, query.measured, i),
        duration: DURATION_HINT.test(text),
        defines: !!defining && definesAskedTerm(text, defining, tokens),
      },
      query,
      options,
    );
    const scaling = coverage + options.askingCoverage * (askingCoverage - coverage);
    const score = fusedScore(lexical, vector, scaling, options) * prior;
    ranked.push({ section, unit: i, score, lexical, vector, coverage, title, askingCoverage });
  }
  return { query, ranked: bestPerSection(ranked).slice(0, k) };
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
          pageContent: index.unitText(r.unit),
          metadata: { doc: r.section.doc, section: r.section.id, score: r.score, coverage: r.coverage },
        }),
    );
  }
}
