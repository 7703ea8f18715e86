// Replies over a tiny corpus of two fictional provinces' plans (test/core/fixtures/two-plans): the lead states
// the asked fact from a verbatim quote, the primary role answers unqualified questions, a named plan wins, and
// questions are read as people type them (chat spelling, exclusion, several parts).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/answer/index.js";
import { splitParts } from "../../src/answer/parts.js";
import type { LoadedIndex } from "../../src/index/store.js";
import { splitExclusion } from "../../src/retrieve/query.js";
import { correctSpelling } from "../../src/retrieve/spelling.js";
import { createGlossary } from "../../src/text/glossary.js";
import { tokenize } from "../../src/text/tokens.js";
import { fixtureIndex } from "./helpers.js";

const FIXTURE = path.join(import.meta.dirname, "fixtures/two-plans");
let index: LoadedIndex;
let source: string;

beforeAll(async () => {
  index = await fixtureIndex("two-plans");
  source = ["kh-hoa-son", "kh-bac-lam"].map((d) => fs.readFileSync(path.join(FIXTURE, `documents/${d}.txt`), "utf8")).join("\n");
}, 60_000);

const ask = (q: string) => answerQuestion(index, q);

describe("direct answers", () => {
  it("leads with the amount and its cap, quoted verbatim, with the sentence on duration beside it", async () => {
    const a = await ask("Hợp tác xã được hỗ trợ mua thiết bị làm mát sữa tối đa bao nhiêu, trong bao lâu?");
    expect(a.abstained).toBe(false);
    expect(a.lead).toContain("không quá 80 triệu đồng/hợp tác xã");
    expect(a.lead).toContain("02 năm");
    expect(a.answer.startsWith(a.lead)).toBe(true);
    for (const c of a.citations) expect(source.replace(/\s+/g, " ")).toContain(c.quote);
  });

  it("answers an unqualified question from the primary plan, and a named plan from that plan", async () => {
    const unqualified = await ask("Hạn gửi báo cáo hằng năm là ngày nào?");
    expect(unqualified.citations[0]?.doc).toBe("kh-hoa-son");
    expect(unqualified.lead).toContain("10/12");
    const named = await ask("Theo Kế hoạch 412, báo cáo hằng năm gửi trước ngày nào?");
    expect(named.citations[0]?.doc).toBe("kh-bac-lam");
    expect(named.lead).toContain("20/12");
    expect(named.lead).not.toContain("10/12");
  });

  it("reads chat spelling without diacritics", async () => {
    const a = await ask("dn thuy san dc ho tro lap cam bien bn tien vay ad");
    expect(a.abstained).toBe(false);
    expect(a.lead).toContain("30 triệu đồng");
  });

  it("keeps the reply phone-sized and says nothing it cannot quote", async () => {
    const a = await ask("Kế hoạch của tỉnh hỗ trợ những gì?");
    expect([...a.answer].length).toBeLessThanOrEqual(700);
    const off = await ask("Giá vé máy bay đi Hà Nội bao nhiêu?");
    expect(off.abstained).toBe(true);
  });
});

describe("named documents", () => {
  it("reads a document's name, but not inside an agency's name after its head noun", () => {
    expect(index.names.mentioned("Theo kế hoạch 88, sở nào chủ trì?").ids).toEqual(["kh-hoa-son"]);
    expect(index.names.mentioned("theo ke hoach 412 bao cao khi nao").ids).toEqual(["kh-bac-lam"]);
    // "Sở Kế hoạch …", "Bộ Kế hoạch và Đầu tư": an agency, not a plan.
    expect(index.names.mentioned("Báo cáo gửi Sở Kế hoạch 88 khi nào?").ids).toEqual([]);
    // …but a name right after another agency's name is read: "Sở Nội vụ" ends with "vụ", it does not open "Vụ Kế hoạch".
    expect(index.names.mentioned("Sở Nội vụ Kế hoạch 412").ids).toEqual(["kh-bac-lam"]);
    // "số" before a number folds like "Sở": "Kế hoạch số 412/KH-UBND" names the plan (no agency is called by a number).
    expect(index.names.mentioned("Thực hiện Kế hoạch số 412/KH-UBND của UBND tỉnh").ids).toEqual(["kh-bac-lam"]);
  });
});

describe("documents the corpus does not hold", () => {
  it("says so instead of quoting other documents about it", async () => {
    const a = await ask("Nghị định 99/2030/NĐ-CP hỗ trợ hợp tác xã chăn nuôi bao nhiêu?");
    expect(a.abstained).toBe(true);
    expect(a.answer).toContain("99/2030/NĐ-CP");
    expect((await ask("Kế hoạch 412/KH-UBND hỗ trợ doanh nghiệp thủy sản bao nhiêu?")).abstained).toBe(false);
  });
});

describe("questions as typed", () => {
  it("splits multi-part questions only where each part asks something", () => {
    expect(splitParts("Hỗ trợ tối đa bao nhiêu tiền, và hạn báo cáo là ngày nào?")).toEqual([
      "Hỗ trợ tối đa bao nhiêu tiền",
      "hạn báo cáo là ngày nào?",
    ]);
    expect(splitParts("Sở Tài chính và Sở Xây dựng phải làm gì?")).toHaveLength(1);
    expect(splitParts("Gửi hồ sơ cho ai, mấy ngày thì được trả lời?")).toEqual(["Gửi hồ sơ cho ai", "mấy ngày thì được trả lời?"]);
  });

  it("reads a part that says little on its own with the part before, and does not quote one sentence twice", async () => {
    expect((await ask("mấy năm thì hết hạn?")).abstained).toBe(true);
    const a = await ask("Hợp tác xã được hỗ trợ mua thiết bị làm mát sữa tối đa bao nhiêu tiền, mấy năm thì hết hạn?");
    expect(a.lead).not.toContain("không đề cập");
    expect(a.lead).toContain("80 triệu đồng");
    expect(a.lead).toContain("02 năm");
    expect(a.lead).toContain("2) Xem ý 1");
    const quotes = a.citations.map((c) => c.quote);
    expect(new Set(quotes).size).toBe(quotes.length);
  });

  it("answers each part of a multi-part question", async () => {
    const a = await ask("Hợp tác xã được hỗ trợ tối đa bao nhiêu, và báo cáo hằng năm gửi trước ngày nào?");
    expect(a.lead).toContain("80 triệu đồng");
    expect(a.lead).toContain("10/12");
  });

  it("keeps an exclusion on every part, and reads interrogatives as typed", () => {
    expect(splitParts("Ngoài Sở Tài chính, sở nào theo dõi kế hoạch và sở nào lo kinh phí?")).toEqual([
      "Ngoài Sở Tài chính, sở nào theo dõi kế hoạch",
      "Ngoài Sở Tài chính, sở nào lo kinh phí?",
    ]);
    // "Đầu tư" holds no "đâu" (where): the exclusion is not a part of its own.
    expect(splitParts("Ngoài Bộ Kế hoạch và Đầu tư, bộ nào phải hướng dẫn doanh nghiệp?")).toHaveLength(1);
  });

  it("splits one ask over two topics, each introduced by «về»", async () => {
    expect(splitParts("Kế hoạch 88 nói gì về thiết bị làm mát sữa và về chợ công nghệ?")).toEqual([
      "Kế hoạch 88 nói gì về thiết bị làm mát sữa?",
      "Kế hoạch 88 nói gì về chợ công nghệ?",
    ]);
    const a = await ask("Kế hoạch 88 nói gì về thiết bị làm mát sữa và về chợ công nghệ?");
    expect(a.lead).toContain("làm mát sữa");
    expect(a.lead).toContain("chợ công nghệ");
  });

  it("asks each of two documents named side by side", async () => {
    expect(index.names.coordinated("Kế hoạch 88 và Kế hoạch 412 hỗ trợ tối đa bao nhiêu phần trăm?")).toEqual(["kh-hoa-son", "kh-bac-lam"]);
    expect(index.names.coordinated("Kế hoạch 88 giao việc gì, theo Kế hoạch 412 thì sao?")).toEqual([]);
    const a = await ask("Kế hoạch 88 và Kế hoạch 412 hỗ trợ tối đa bao nhiêu phần trăm chi phí?");
    expect(a.lead).toContain("70%");
    expect(a.lead).toContain("40%");
  });

  it("reads a later part in the document the earlier part was answered from", async () => {
    // Alone, "báo cáo 6 tháng" belongs to no plan in particular; after a question on Kế hoạch 412 it is that plan's.
    const a = await ask("Kế hoạch 412 hỗ trợ doanh nghiệp thủy sản tối đa bao nhiêu, và báo cáo 6 tháng gửi trước ngày nào?");
    expect(a.lead).toContain("30 triệu đồng");
    expect(a.lead).toContain("20/6");
  });

  it("answers a question about a list with the list", async () => {
    const a = await ask("Hồ sơ có đơn đề nghị hỗ trợ theo mẫu do Sở ban hành, còn gồm những giấy tờ gì?");
    expect(a.lead).toContain("Đơn đề nghị hỗ trợ");
    expect(a.lead).toContain("Bản sao hợp đồng");
  });

  it("repairs typos in Vietnamese, not the words of a question written in English", () => {
    expect(correctSpelling(index, "ho tro chan noui bo sua")).toContain("chan nuoi");
    expect(correctSpelling(index, "How many cooperatives get support for milk cooling?")).toBe(
      "How many cooperatives get support for milk cooling?",
    );
  });

  it("sets an exclusion aside", () => {
    expect(splitExclusion("Ngoài Sở Tài chính, sở nào lo vốn đầu tư?")).toEqual({
      focus: "sở nào lo vốn đầu tư?",
      excluded: "Sở Tài chính",
    });
    expect(splitExclusion("Ngoài ra còn hỗ trợ gì?").excluded).toBeNull();
  });

  it("reads an English form only where the word is typed without marks; an everyday form also typed bare", () => {
    const g = createGlossary({
      chat: [],
      abbreviations: [],
      synonyms: [],
      english: [{ forms: ["cap"], expansion: "tối đa" }],
      everyday: [{ forms: ["so do"], expansion: "giấy chứng nhận" }],
    });
    const expanded = (q: string) => g.queryExpansions(tokenize(q)).map((e) => e.phrases[0]!.map((t) => t.orig).join(" "));
    expect(expanded("is there a cap on it")).toEqual(["tối đa"]);
    expect(expanded("Thủ tục cấp hộ chiếu")).toEqual([]);
    expect(expanded("làm sổ đỏ ở đâu")).toEqual(["giấy chứng nhận"]);
  });

  it("rewrites chat spelling in questions only, leaving capitalised abbreviations", () => {
    const g = createGlossary({
      chat: [
        { forms: ["dc"], expansion: "được" },
        { forms: ["kh"], expansion: "kế hoạch" },
        { forms: ["ad"], expansion: "" },
        { forms: ["bao nhiu"], expansion: "bao nhiêu" },
      ],
      abbreviations: [],
      synonyms: [],
      english: [],
    });
    expect(g.rewriteChat("ad oi kh nay dc ho tro gi")).toBe("oi kế hoạch nay được ho tro gi");
    // A form of several words, as whole words ("bao nhiu" typed for "bao nhiêu"; not inside "bao nhiuu").
    expect(g.rewriteChat("dc ho tro bao nhiu vay")).toBe("được ho tro bao nhiêu vay");
    expect(g.rewriteChat("bao nhiuu")).toBe("bao nhiuu");
    expect(g.rewriteChat("Sở KH&ĐT và KH 412")).toBe("Sở KH&ĐT và KH 412");
    // A dropped particle that opens a phrase of the corpus is a word: "ad nuoc" would be kept if "ad nuoc" were one.
    const phrase = (w: string, next: string) => `${w} ${next}` === "ad nuoc";
    expect(g.rewriteChat("ad nuoc dc ho tro ad", phrase)).toBe("ad nuoc được ho tro");
    expect(g.rewriteChat("ad oi", phrase)).toBe("oi");
    // … and one inside a sentence that ends a phrase with the previous word ("cu ad" would be kept if it were one);
    // at the sentence's end it is the particle whatever stands before it.
    const ending = (a: string, b: string) => `${a} ${b}` === "cu ad";
    expect(g.rewriteChat("muc cu ad bao nhieu cu ad", ending)).toBe("muc cu ad bao nhieu cu");
    expect(g.rewriteChat("muc cu ad? bao nhieu", ending)).toBe("muc cu? bao nhieu");
  });
});
