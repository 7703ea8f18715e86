// The named scoring table: each prior on its own, then the ranking over a tiny synthetic corpus of two plans.
import { describe, expect, it } from "vitest";
import { citedArticles } from "../../src/retrieve/query.js";
import { defaultRankingOptions as o, fusedScore, priorOf, type Candidate } from "../../src/retrieve/ranking.js";
import type { Section } from "../../src/types.js";

const section = (doc: string, id = "II.1"): Section => ({
  doc,
  id,
  label: `Mục ${id}`,
  heading: "",
  breadcrumb: [],
  paragraphs: [],
  headingIsText: false,
  parent: null,
  children: [],
});
const candidate = (over: Partial<Candidate> = {}): Candidate => ({
  section: section("kh-a"),
  documentPrior: 1,
  primary: false,
  superseded: false,
  title: 0,
  dated: false,
  amount: false,
  duration: false,
  ...over,
});
const query = (over: Partial<Parameters<typeof priorOf>[1]> = {}) => ({
  intent: "general" as const,
  asksAmount: false,
  asksDuration: false,
  local: false,
  documents: { ids: [] as string[], words: new Set<string>() },
  ...over,
});

describe("ranking priors", () => {
  it("is neutral for an ordinary candidate and question", () => {
    expect(priorOf(candidate(), query())).toBe(1);
  });

  it("prefers a named document over everything else, and the primary role only when none is named", () => {
    const named = query({ documents: { ids: ["kh-b"], words: new Set() } });
    expect(priorOf(candidate({ section: section("kh-b") }), named)).toBe(o.namedDocument);
    expect(priorOf(candidate({ primary: true }), named)).toBe(o.otherThanNamed);
    expect(priorOf(candidate({ primary: true }), query())).toBe(o.primaryDocument);
    expect(priorOf(candidate({ primary: true }), query({ local: true }))).toBe(o.primaryDocumentLocal);
  });

  it("lowers superseded documents, appendix rows, the distribution list and an unasked title page", () => {
    expect(priorOf(candidate({ superseded: true }), query())).toBe(o.superseded);
    expect(priorOf(candidate({ section: section("x", "PL1.I.3") }), query())).toBe(o.appendixRow);
    expect(priorOf(candidate({ section: section("x", "recipients") }), query())).toBe(o.recipients);
    expect(priorOf(candidate({ section: section("x", "preamble") }), query())).toBe(o.preambleNotAskedAbout);
    expect(priorOf(candidate({ section: section("x", "signature") }), query({ intent: "document_fact" }))).toBe(o.documentFactBlock);
  });

  it("raises dated units for deadline questions, amounts for how-much questions, and title matches", () => {
    expect(priorOf(candidate({ dated: true }), query({ intent: "deadline" }))).toBe(o.datedForDeadline);
    expect(priorOf(candidate({ dated: true }), query())).toBe(1);
    expect(priorOf(candidate({ amount: true }), query({ asksAmount: true }))).toBe(o.amountForAmount);
    expect(priorOf(candidate({ title: 1 }), query())).toBeCloseTo(1 + o.titleMatch);
    expect(priorOf(candidate({ duration: true }), query({ asksDuration: true }))).toBe(o.durationForDuration);
    expect(priorOf(candidate({ duration: true }), query())).toBe(1);
  });

  it("prefers an article the question cites by number ('Điều 6 của Luật …'), in the named document if any", () => {
    expect(citedArticles("dieu 6 cua luat tiep can thong tin de cap gi")).toEqual(["D6"]);
    expect(citedArticles("theo dieu 12a va dieu 3")).toEqual(["D12a", "D3"]);
    expect(citedArticles("dieu kien cap the")).toEqual([]);
    expect(priorOf(candidate({ section: section("luat-a", "D6.1") }), query({ articles: ["D6"] }))).toBe(o.citedArticle);
    expect(priorOf(candidate({ section: section("luat-a", "D60") }), query({ articles: ["D6"] }))).toBe(1);
    const named = { ids: ["luat-b"], words: new Set<string>() };
    expect(priorOf(candidate({ section: section("luat-a", "D6") }), query({ articles: ["D6"], documents: named }))).toBe(o.otherThanNamed);
  });

  it("prefers the sections a conversation's previous answer cited, then their articles, for a follow-up asked near them", () => {
    const near = query({ near: ["nd-a#D26.2", "luat-b#D16.2.b", "kh-a#II.3.a"] });
    expect(priorOf(candidate({ section: section("nd-a", "D26.2") }), near)).toBe(o.nearSection);
    expect(priorOf(candidate({ section: section("nd-a", "D26.2.a") }), near)).toBe(o.nearSection);
    expect(priorOf(candidate({ section: section("nd-a", "D26.1") }), near)).toBe(o.nearPart);
    expect(priorOf(candidate({ section: section("nd-a", "D26") }), near)).toBe(o.nearPart);
    expect(priorOf(candidate({ section: section("luat-b", "D16.1") }), near)).toBe(o.nearPart);
    expect(priorOf(candidate({ section: section("kh-a", "II.3.a") }), near)).toBe(o.nearSection);
    expect(priorOf(candidate({ section: section("kh-a", "II.3.b") }), near)).toBe(o.nearPart);
    expect(priorOf(candidate({ section: section("nd-a", "D27.1") }), near)).toBe(1);
    expect(priorOf(candidate({ section: section("luat-b", "D26.2") }), near)).toBe(1);
    expect(priorOf(candidate({ section: section("nd-a", "D26.2") }), query())).toBe(1);
  });

  it("applies a document's own prior from the corpus profile", () => {
    expect(priorOf(candidate({ documentPrior: 0.8 }), query())).toBeCloseTo(0.8);
    expect(priorOf(candidate({ documentPrior: 1.2, superseded: true }), query())).toBeCloseTo(1.2 * o.superseded);
  });

  it("fuses lexical and vector scores and scales them by coverage", () => {
    expect(fusedScore(1, 1, 1)).toBeCloseTo(o.lexicalWeight + o.vectorWeight);
    expect(fusedScore(1, 0, 0)).toBeCloseTo(o.lexicalWeight * o.coverageFloor);
    expect(fusedScore(0.5, 0.5, 1)).toBeGreaterThan(fusedScore(0.5, 0.5, 0.5));
    expect(fusedScore(1, 0, 1, { ...o, lexicalWeight: 0.5 })).toBeCloseTo(0.5);
  });
});
