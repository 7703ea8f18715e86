// Every scoring knob of retrieval, named and documented in one table (in the spirit of MiniSearch's
// `defaultSearchOptions`). Scores are a weighted sum of normalised BM25 and cosine similarity, then
// multiplied by priors; each prior is a factor, 1 = neutral. Unit tests: test/core/ranking.test.ts.
import { articleKey, type Section } from "../types.js";
import type { Query } from "./query.js";

export interface RankingOptions {
  /** Weight of the lexical (BM25, normalised to the best candidate) score in the fused score. */
  lexicalWeight: number;
  /** Weight of the vector (cosine) similarity in the fused score. */
  vectorWeight: number;
  /** Candidates (one per group of near-duplicate paragraphs) taken from the lexical postings before priors apply. */
  candidates: number;
  /** A document the question names ("Nghị quyết 57", "Kế hoạch 412"): its sections, and everything else. */
  namedDocument: number;
  otherThanNamed: number;
  /** A document whose role is `primary` when the question names no document. */
  primaryDocument: number;
  /** …and when the question also points at the province ("của tỉnh", "địa phương", the province's name). */
  primaryDocumentLocal: number;
  /** Superseded documents answer only when nothing in force does. */
  superseded: number;
  /** Appendix table rows ("PL…") and the distribution list are terse; they answer when nothing else does. */
  appendixRow: number;
  recipients: number;
  /** The title page repeats the whole subject; it answers questions about the document itself. */
  preambleNotAskedAbout: number;
  /** Signature and title page for "who signed / when was it issued" questions. */
  documentFactBlock: number;
  /** A section of an article the question cites by number ("Điều 6 của Luật …"), in the named document if any. */
  citedArticle: number;
  /** Per unit of the IDF-weighted share of the question's topic words found in the section's own title. */
  titleMatch: number;
  /**
   * For a follow-up asked near the sections a conversation's previous answer cited: a section in one of their
   * articles (Điều, Mục), and one of those sections itself or a part of it (replacing `nearPart`).
   */
  nearPart: number;
  nearSection: number;
  /** A unit stating a date or period, for deadline questions. */
  datedForDeadline: number;
  /** A unit stating an amount, share or cap of what is asked (all the measured words), for "how much" questions. */
  amountForAmount: number;
  /** A unit stating a duration ("14 ngày làm việc"), for "how long" questions. */
  durationForDuration: number;
  /** A unit defining a term the question names ("X là …"), for "X là gì?" questions. */
  definitionForDefinition: number;
  /** Coverage (share of topic words in the unit) scales the score from `coverageFloor` (none) to 1 (all). */
  coverageFloor: number;
  /** Coverage blends unigram coverage with coverage of adjacent topic-word pairs by this weight. */
  bigramCoverage: number;
  /**
   * For a question told at length (a situation, then the sentences that ask: `Query.asking`), the coverage that
   * scales the score blends the whole question's with the asking sentences' by this weight (0: the whole only):
   * the situation's words ("HTX cà phê … liên kết … thương hiệu") pull toward sections about them.
   */
  askingCoverage: number;
}

export const defaultRankingOptions: Readonly<RankingOptions> = {
  lexicalWeight: 0.75,
  vectorWeight: 0.25,
  candidates: 40,
  namedDocument: 1.5,
  otherThanNamed: 0.7,
  primaryDocument: 1.25,
  primaryDocumentLocal: 1.4,
  superseded: 0.85,
  appendixRow: 0.9,
  recipients: 0.7,
  preambleNotAskedAbout: 0.8,
  documentFactBlock: 1.6,
  citedArticle: 2,
  titleMatch: 0.35,
  nearPart: 3,
  nearSection: 4,
  datedForDeadline: 1.2,
  amountForAmount: 1.2,
  durationForDuration: 1.2,
  definitionForDefinition: 1.3,
  coverageFloor: 0.5,
  bigramCoverage: 0.3,
  askingCoverage: 0.25,
};

/** What a prior needs to know about one candidate. */
export interface Candidate {
  section: Section;
  /** The document's own prior from the corpus profile (`profile.priors`), 1 when it has none. */
  documentPrior: number;
  /** The candidate's document is `primary` in the corpus profile. */
  primary: boolean;
  superseded: boolean;
  /** Share (0–1) of the question's topic words in the section's own title. */
  title: number;
  dated: boolean;
  amount: boolean;
  duration: boolean;
  /** The unit defines a term the question names, and the question asks what it is (`definesAskedTerm`). */
  defines?: boolean;
}

/** The product of every prior that applies to a candidate. */
export function priorOf(
  c: Candidate,
  q: Pick<Query, "intent" | "asksAmount" | "asksDuration" | "local" | "documents"> & Partial<Pick<Query, "articles" | "near">>,
  o = defaultRankingOptions,
): number {
  let f = c.documentPrior;
  const named = q.documents.ids;
  if (named.length) f *= named.includes(c.section.doc) ? o.namedDocument : o.otherThanNamed;
  else if (c.primary) f *= q.local ? o.primaryDocumentLocal : o.primaryDocument;
  if (c.superseded) f *= o.superseded;
  if (c.section.id.startsWith("PL")) f *= o.appendixRow;
  if (c.section.id === "recipients") f *= o.recipients;
  if (c.section.id === "preamble" && q.intent !== "document_fact") f *= o.preambleNotAskedAbout;
  if (q.intent === "document_fact" && (c.section.id === "signature" || c.section.id === "preamble")) f *= o.documentFactBlock;
  f *= 1 + o.titleMatch * c.title;
  const article = c.section.id.split(".")[0]!;
  if (q.articles?.includes(article) && (!named.length || named.includes(c.section.doc))) f *= o.citedArticle;
  if (q.near?.length) f *= nearFactor(c.section, q.near, o);
  if (q.intent === "deadline" && c.dated) f *= o.datedForDeadline;
  if (q.asksAmount && c.amount) f *= o.amountForAmount;
  if (q.asksDuration && c.duration) f *= o.durationForDuration;
  if (c.defines) f *= o.definitionForDefinition;
  return f;
}

/** Fused lexical/vector score of a candidate, scaled by its coverage of the question's topic. */
export function fusedScore(lexical: number, vector: number, coverage: number, o = defaultRankingOptions): number {
  return (o.lexicalWeight * lexical + o.vectorWeight * vector) * (o.coverageFloor + (1 - o.coverageFloor) * coverage);
}

/** `nearSection` inside a section the previous answer cited, `nearPart` elsewhere in its article, else 1. */
function nearFactor(section: Section, near: readonly string[], o: RankingOptions): number {
  const id = `${section.doc}#${section.id}`;
  if (near.some((s) => id === s || id.startsWith(`${s}.`))) return o.nearSection;
  const article = articleKey(section);
  return near.some((s) => s.split(".")[0] === article) ? o.nearPart : 1;
}
