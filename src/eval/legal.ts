// The public legal benchmark (ALQAC: statutes + questions with gold articles, read from a folder outside the
// repository at run time): a stable seeded split, article-level scoring of answers, and a plain BM25 over
// articles as the baseline every change is measured against (Anserini style: same split, same questions).
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Answer, Citation } from "../types.js";
import { readJsonl } from "./metrics.js";

export const legalQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  type: z.string().default(""),
  gold: z.array(z.object({ doc: z.string(), article: z.string() })).min(1),
});
export type LegalQuestion = z.infer<typeof legalQuestionSchema>;

export type Split = "train" | "dev" | "test";
export const SPLITS: Split[] = ["train", "dev", "test"];

/** Seed of the benchmark's split: changing it changes which questions are held out. */
export const LEGAL_SEED = "alqac-2025-v1";

/** FNV-1a of a string, as a number in [0, 1): stable across runs, machines and question order. */
export function stableUnit(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // One more avalanche round so neighbouring ids ("…_1", "…_2") spread evenly.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return (h >>> 0) / 2 ** 32;
}

/** train 50 % / dev 25 % / test 25 %, by id and seed (adding questions never moves the others). */
export function splitOf(id: string, seed = LEGAL_SEED): Split {
  const u = stableUnit(`${seed}:${id}`);
  return u < 0.5 ? "train" : u < 0.75 ? "dev" : "test";
}

export function readLegalQuestions(file: string): LegalQuestion[] {
  return readJsonl(file, legalQuestionSchema, "a legal question");
}

/** Section ids D32, D32.1, D32.1.a are article 32. */
export function articleOf(section: string): string | null {
  return /^D(\d+[a-zđ]?)(?:\.|$)/u.exec(section)?.[1] ?? null;
}

export function isGold(c: Pick<Citation, "doc" | "section">, gold: LegalQuestion["gold"]): boolean {
  const article = articleOf(c.section);
  return gold.some((g) => g.doc === c.doc && g.article === article);
}

export interface LegalResult {
  id: string;
  abstained: boolean;
  /** Rank (1-based) of the first gold article among the distinct cited articles; null when none. */
  hitRank: number | null;
  /** The first citation is in none of the gold documents. */
  wrongLaw: boolean;
  /** Documents and sections cited, in order. */
  cited: string[];
  /** A refusal named the nearest parts (`Answer.nearest`), and one of them is a gold article. */
  pointed: boolean;
  /** A refusal named the nearest parts. */
  pointers: boolean;
}

/** Distinct articles in citation order (several quotes of one article count once). */
function citedArticles(citations: Pick<Citation, "doc" | "section">[]): Pick<Citation, "doc" | "section">[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const key = `${c.doc}#${articleOf(c.section) ?? c.section}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function scoreLegal(q: LegalQuestion, answer: Pick<Answer, "abstained" | "citations" | "nearest">): LegalResult {
  const all = answer.abstained ? [] : [...answer.citations];
  const articles = citedArticles(all);
  const rank = articles.findIndex((c) => isGold(c, q.gold));
  const first = articles[0];
  return {
    id: q.id,
    abstained: answer.abstained,
    hitRank: rank >= 0 ? rank + 1 : null,
    wrongLaw: !!first && !q.gold.some((g) => g.doc === first.doc),
    cited: all.map((c) => `${c.doc}#${c.section}`),
    pointed: !!answer.nearest?.some((p) => isGold(p, q.gold)),
    pointers: !!answer.nearest?.length,
  };
}

export interface LegalMetrics {
  items: number;
  "hit@1": number;
  "hit@5": number;
  /** Share of questions (all answerable) that got a refusal. */
  abstained: number;
  /** Share of questions whose first citation is in another law. */
  wrong_law: number;
  /** Shares of the questions refused with the nearest parts named, and refused with a gold article among them. */
  refused_with_pointers: number;
  pointers_hold_gold: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function legalMetrics(results: LegalResult[]): LegalMetrics {
  const n = Math.max(1, results.length);
  const share = (f: (r: LegalResult) => boolean) => round(results.filter(f).length / n);
  return {
    items: results.length,
    "hit@1": share((r) => r.hitRank === 1),
    "hit@5": share((r) => r.hitRank !== null && r.hitRank <= 5),
    abstained: share((r) => r.abstained),
    wrong_law: share((r) => r.wrongLaw),
    refused_with_pointers: share((r) => r.pointers),
    pointers_hold_gold: share((r) => r.pointed),
  };
}

// ── the baseline: plain BM25 over whole articles ────────────────────────────

export interface Article {
  doc: string;
  article: string;
  text: string;
}

/** Articles of a law file in the benchmark's layout (front matter, then one "Điều N. title" line per article). */
export function articlesOf(doc: string, text: string): Article[] {
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, "");
  const out: Article[] = [];
  for (const chunk of body.split(/\n(?=Điều\s+\d+[a-zđ]?\b)/u)) {
    const m = /^Điều\s+(\d+[a-zđ]?)\b/u.exec(chunk.trim());
    if (m) out.push({ doc, article: m[1]!, text: chunk.trim() });
  }
  return out;
}

export function readLaws(dir: string): { files: string[]; articles: Article[] } {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(txt|md)$/.test(f))
    .sort();
  const articles = files.flatMap((f) => articlesOf(f.replace(/\.[^.]+$/, ""), fs.readFileSync(path.join(dir, f), "utf8")));
  return { files: files.map((f) => path.join(dir, f)), articles };
}

/** Lower-cased syllables, diacritics kept (the textbook baseline; no bigrams, no folding, no synonyms). */
const syllables = (text: string) =>
  text
    .normalize("NFC")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

/** Okapi BM25 (k1 1.2, b 0.75) over articles: the baseline of the benchmark. */
export class ArticleBm25 {
  private readonly tfs: Map<string, number>[];
  private readonly lengths: number[];
  private readonly df = new Map<string, number>();
  private readonly avg: number;

  constructor(
    readonly articles: Article[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.tfs = articles.map((a) => {
      const tf = new Map<string, number>();
      for (const w of syllables(a.text)) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
      return tf;
    });
    this.lengths = this.tfs.map((tf) => [...tf.values()].reduce((a, b) => a + b, 0));
    this.avg = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  /** The k best articles for a question. */
  search(question: string, k = 5): Article[] {
    const n = this.articles.length;
    const terms = [...new Set(syllables(question))];
    const scored = this.tfs.map((tf, i) => {
      let s = 0;
      for (const w of terms) {
        const f = tf.get(w);
        if (!f) continue;
        const df = this.df.get(w)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        s += (idf * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * this.lengths[i]!) / this.avg));
      }
      return { i, s };
    });
    return scored
      .filter((x) => x.s > 0)
      .sort((a, b) => b.s - a.s)
      .slice(0, k)
      .map((x) => this.articles[x.i]!);
  }
}

/** The baseline as if it answered: its top articles as citations, never abstaining. */
export function baselineAnswer(bm25: ArticleBm25, question: string): Pick<Answer, "abstained" | "citations"> {
  const citations = bm25.search(question, 5).map((a) => ({ doc: a.doc, section: `D${a.article}`, title: "", quote: "" }));
  return { abstained: false, citations };
}
