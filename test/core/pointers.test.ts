// Refusals that point: below the decision to answer, a refusal names the nearest titled parts of the documents,
// without quoting them or claiming they answer, when the fitted decision puts answering within reach; a topic the
// documents never mention keeps the plain refusal. Our own fictional decision (test/core/fixtures/beekeeping), with a
// fitted decision written into its manifest: no weights and a bias, so every question gets the same probability.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/answer/index.js";
import { POINTER_OPTIONS } from "../../src/answer/pointers.js";
import { loadConfig } from "../../src/config.js";
import { openIndex, type LoadedIndex } from "../../src/index/store.js";
import { ROOT, tempDir } from "./helpers.js";

/** The fixture with a decision that answers nothing below the coverage rule, at probability `p` for every question. */
async function withDecision(p: number): Promise<LoadedIndex> {
  const corpus = path.join(tempDir("pointers"), "corpus");
  fs.cpSync(path.join(ROOT, "test/core/fixtures/beekeeping"), corpus, { recursive: true });
  for (const f of ["glossary.json", "agencies.json"]) fs.copyFileSync(path.join(ROOT, "corpus", f), path.join(corpus, f));
  const manifestPath = path.join(corpus, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  const bias = Math.log(p / (1 - p));
  manifest.profile = { decision: { weights: {}, bias, threshold: 0.9, note: "test" } };
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));
  return openIndex(loadConfig({ CORPUS_DIR: corpus, DATA_DIR: tempDir("data"), LOG_LEVEL: "silent" }, ROOT));
}

// Everyday words the decision does not use ("mua thêm cái thùng"), so coverage stays below the rule.
const NEAR = "Nhà em nuôi mấy đàn ong, năm nay muốn mua thêm thùng mới thì được nhà nước cho bao nhiêu tiền ạ?";

let within: LoadedIndex;
let below: LoadedIndex;

beforeAll(async () => {
  within = await withDecision(POINTER_OPTIONS.minProbability + 0.1);
  below = await withDecision(POINTER_OPTIONS.minProbability - 0.1);
}, 60_000);

describe("refusals that point", () => {
  it("names the nearest titled parts, the article first, without quoting them", async () => {
    const answer = await answerQuestion(within, NEAR);
    expect(answer.abstained).toBe(true);
    expect(answer.citations).toEqual([]);
    expect(answer.nearest?.[0]).toMatchObject({ doc: "qd-7-2028", section: "D2" });
    expect(answer.nearest!.length).toBeLessThanOrEqual(POINTER_OPTIONS.max);
    // Named by its title, once, with no claim that it answers and no quote of its text.
    expect(answer.answer).toContain("- Quyết định 7/2028/QĐ-UBND (giả lập) — Điều 2: Điều kiện được hỗ trợ mua thùng ong");
    expect(answer.answer).toContain("không khẳng định chúng trả lời câu hỏi");
    expect(answer.answer).not.toContain("không quá 40%");
    expect(answer.answer).not.toContain("không đề cập");
    expect(new Set(answer.nearest!.map((p) => p.section)).size).toBe(answer.nearest!.length);
  });

  it("keeps the plain refusal when answering is further out of reach", async () => {
    const answer = await answerQuestion(below, NEAR);
    expect(answer.abstained).toBe(true);
    expect(answer.nearest).toBeUndefined();
    expect(answer.answer).toContain("không đề cập đến nội dung này");
  });

  it("keeps the plain refusal when the question's topic is a word no document uses", async () => {
    const answer = await answerQuestion(within, "Thời tiết tuần này có mưa đá không?");
    expect(answer.abstained).toBe(true);
    expect(answer.nearest).toBeUndefined();
  });
});
