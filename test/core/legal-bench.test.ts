// The public legal benchmark's pieces (src/eval/legal.ts): a split that is stable by id, article-level scoring
// (D32, D32.1, D32.1.a all count for article 32), the metrics and the plain BM25 baseline. Our own fixtures.
import { describe, expect, it } from "vitest";
import { ArticleBm25, articleOf, articlesOf, legalMetrics, scoreLegal, splitOf } from "../../src/eval/legal.js";

const cite = (doc: string, section: string) => ({ doc, section, title: "", quote: "" });

describe("legal benchmark", () => {
  it("splits by id alone, about 50/25/25, and changes with the seed", () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `q_${i}`);
    const counts = { train: 0, dev: 0, test: 0 };
    for (const id of ids) counts[splitOf(id)]++;
    expect(counts.train / 4000).toBeCloseTo(0.5, 1);
    expect(counts.dev / 4000).toBeCloseTo(0.25, 1);
    expect(counts.test / 4000).toBeCloseTo(0.25, 1);
    expect(ids.map((id) => splitOf(id))).toEqual(
      [...ids]
        .reverse()
        .map((id) => splitOf(id))
        .reverse(),
    );
    expect(ids.filter((id) => splitOf(id) !== splitOf(id, "another seed")).length).toBeGreaterThan(1000);
  });

  it("scores the first distinct cited article against the gold articles", () => {
    expect([articleOf("D32"), articleOf("D32.1"), articleOf("D32.1.a"), articleOf("II.3"), articleOf("D3")]).toEqual([
      "32",
      "32",
      "32",
      null,
      "3",
    ]);
    const q = { id: "x", question: "?", type: "", gold: [{ doc: "luat-a", article: "32" }] };
    const hit = scoreLegal(q, { abstained: false, citations: [cite("luat-a", "D32.1"), cite("luat-a", "D32.1.a"), cite("luat-b", "D4")] });
    expect(hit).toMatchObject({ hitRank: 1, wrongLaw: false });
    const second = scoreLegal(q, {
      abstained: false,
      citations: [cite("luat-a", "D31"), cite("luat-a", "D31.2"), cite("luat-a", "D32.1.a")],
    });
    expect(second).toMatchObject({ hitRank: 2, wrongLaw: false });
    const wrong = scoreLegal(q, { abstained: false, citations: [cite("luat-b", "D32")] });
    expect(wrong).toMatchObject({ hitRank: null, wrongLaw: true });
    const refused = scoreLegal(q, { abstained: true, citations: [] });
    // A refusal that names the nearest parts is still a refusal; naming the gold article is counted apart.
    const pointing = scoreLegal(q, { abstained: true, citations: [], nearest: [{ doc: "luat-a", section: "D32", title: "" }] });
    const astray = scoreLegal(q, { abstained: true, citations: [], nearest: [{ doc: "luat-a", section: "D33", title: "" }] });
    expect(pointing).toMatchObject({ hitRank: null, abstained: true, pointed: true, pointers: true });
    expect(legalMetrics([hit, second, wrong, refused, pointing, astray])).toEqual({
      items: 6,
      "hit@1": 0.167,
      "hit@5": 0.333,
      abstained: 0.5,
      wrong_law: 0.167,
      refused_with_pointers: 0.333,
      pointers_hold_gold: 0.167,
    });
  });

  it("the baseline ranks articles by plain BM25", () => {
    const text = `---\ntitle: Luật Thử\n---\n\nĐiều 1. Phạm vi\nLuật này quy định về nuôi ong.\n\nĐiều 2. Mật ong\nMật ong phải được dán nhãn.\n`;
    const articles = articlesOf("luat-thu", text);
    expect(articles.map((a) => a.article)).toEqual(["1", "2"]);
    expect(new ArticleBm25(articles).search("mật ong dán nhãn thế nào", 1)[0]!.article).toBe("2");
  });
});
