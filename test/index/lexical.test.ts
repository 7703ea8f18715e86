// The typed-array BM25 index: postings-driven top-k, membership, round trip through files, merging segments.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LexicalIndex, mergeLexical, TopK } from "../../src/index/lexical.js";
import { tempDir } from "../core/helpers.js";

const bag = (words: string) => {
  const out = new Map<string, number>();
  const list = words.split(" ");
  list.forEach((w, i) => {
    out.set(`f:${w}`, (out.get(`f:${w}`) ?? 0) + 1);
    if (i > 0) out.set(`f:${list[i - 1]}_${w}`, (out.get(`f:${list[i - 1]}_${w}`) ?? 0) + 1);
  });
  return out;
};

const BAGS = [
  "ca hoi vung cao",
  "tram quan trac nuoc ca hoi",
  "kinh phi tram quan trac",
  "giay do truyen thong",
  "quy phat trien nghe giay do",
  "ca hoi ca hoi ca hoi",
].map(bag);

const query = (words: string) => bag(words);

describe("LexicalIndex", () => {
  it("search returns the k best units of the sparse scores, best first, and only units that match", () => {
    const index = LexicalIndex.build(BAGS);
    const q = query("tram quan trac ca hoi");
    const all = [...index.score(q)].sort((a, b) => b[1] - a[1]);
    expect(all.map(([i]) => i).sort()).toEqual([0, 1, 2, 5]);
    const top = index.search(q, 2);
    expect(top.map((h) => h.i)).toEqual(all.slice(0, 2).map(([i]) => i));
    expect(top[0]!.i).toBe(1);
    expect(index.search(query("khong co"), 5)).toEqual([]);
  });

  it("past the postings budget, the rare features pick the pool and common features still count in its scores", () => {
    // 200 units share "ca hoi"; a few also have rarer words.
    const words = (i: number) => (i % 50 === 0 ? "tram quan trac ca hoi" : i % 7 === 0 ? "ca hoi ca hoi vung cao" : "ca hoi");
    const bags = Array.from({ length: 200 }, (_, i) => bag(words(i)));
    const index = LexicalIndex.build(bags);
    const q = query("tram quan trac ca hoi vung cao");
    const exact = index.top(q, 5);
    const bounded = index.top(q, 5, { budget: 10, pool: 20 });
    expect(bounded.hits.map((h) => h.i)).toEqual(exact.hits.map((h) => h.i));
    bounded.hits.forEach((h, n) => expect(h.score).toBeCloseTo(exact.hits[n]!.score, 9));
    expect(bounded.max).toBeCloseTo(exact.max, 9);
  });

  it("keeps one unit per group, ranked by score times the unit's weight", () => {
    const index = LexicalIndex.build(BAGS);
    const q = query("ca hoi");
    const { hits } = index.top(q, 3, { group: (u) => (u === 0 || u === 5 ? 1 : 100 + u), weight: (u) => (u === 0 ? 10 : 1) });
    expect(hits[0]!.i).toBe(0);
    expect(hits.map((h) => h.i)).not.toContain(5);
    expect(hits[0]!.score).toBeCloseTo(index.score(q).get(0)!, 9);
  });

  it("contains agrees with each unit's features; df and idf follow the postings", () => {
    const index = LexicalIndex.build(BAGS);
    BAGS.forEach((b, i) => {
      for (const f of index.features()) expect(index.contains(f, i)).toBe(b.has(f));
    });
    expect(index.df("f:hoi")).toBe(3);
    expect(index.df("f:nothing")).toBe(0);
    expect(index.idf("f:giay")).toBeGreaterThan(index.idf("f:hoi"));
  });

  it("reads back from its files with the same scores", () => {
    const dir = tempDir("lexical");
    const index = LexicalIndex.build(BAGS);
    index.write(dir);
    const again = LexicalIndex.read(dir);
    const q = query("quy giay do ca hoi");
    expect([...again.score(q)]).toEqual([...index.score(q)]);
    expect(again.avgLen).toBeCloseTo(index.avgLen, 6);
  });

  it("merging segments gives the index of all their units, ids offset by each segment's base", () => {
    const root = tempDir("merge");
    const parts = [BAGS.slice(0, 2), BAGS.slice(2, 5), BAGS.slice(5)];
    let base = 0;
    const segments = parts.map((bags, n) => {
      const dir = path.join(root, `s${n}`);
      fs.mkdirSync(dir);
      LexicalIndex.build(bags).write(dir);
      base += bags.length;
      return { dir, base: base - bags.length, units: bags.length };
    });
    const df = mergeLexical(segments, path.join(root, "merged"));
    const merged = LexicalIndex.read(path.join(root, "merged"));
    const whole = LexicalIndex.build(BAGS);
    expect(merged.size).toBe(BAGS.length);
    for (const f of whole.features()) {
      expect(merged.df(f)).toBe(whole.df(f));
      expect(df.get(f)).toBe(whole.df(f));
    }
    const q = query("tram quan trac giay do ca hoi");
    const a = merged.score(q);
    for (const [i, s] of whole.score(q)) expect(a.get(i)).toBeCloseTo(s, 9);
  });
});

describe("TopK", () => {
  it("keeps the k best groups, each by its best item", () => {
    const top = new TopK<string>(2);
    top.offer(1, "a1", 5);
    top.offer(1, "a2", 9);
    top.offer(2, "b1", 7);
    top.offer(3, "c1", 6);
    top.offer(1, "a3", 8);
    expect(top.sorted()).toEqual([
      { item: "a2", score: 9 },
      { item: "b1", score: 7 },
    ]);
  });

  it("keeps the first of equal scores", () => {
    const top = new TopK<string>(1);
    top.offer(1, "first", 3);
    top.offer(2, "second", 3);
    expect(top.sorted().map((e) => e.item)).toEqual(["first"]);
  });
});
