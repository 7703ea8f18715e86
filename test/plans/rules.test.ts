// Rules for the genre, on sentences and headers written for these tests: deadlines of every period, the title block
// and derived aliases, texts generated from a corpus profile, and per-document eval figures.
import { describe, expect, it } from "vitest";
import { overridesFrom, parseFlags, splitArgs } from "../../src/admin/args.js";
import { abstainText, greetingText } from "../../src/answer/compose.js";
import { profileSchema } from "../../src/corpus/profile.js";
import { deriveAliases, detectMetadata } from "../../src/corpus/ingest/metadata.js";
import { findDeadlines } from "../../src/duties/periods.js";
import { aggregate, groupedMetrics, itemDocument, type EvalItem, type ItemResult } from "../../src/eval/metrics.js";
import type { DocumentMeta } from "../../src/types.js";

describe("deadlines of the genre", () => {
  it("reads a 6-month and a yearly date in one sentence, each with its own date", () => {
    const s = "Định kỳ 6 tháng (trước ngày 10/6) và hằng năm (trước ngày 10/12), các sở báo cáo gửi Sở Tư pháp.";
    expect(findDeadlines(s)).toEqual([
      { kind: "semiannual", day: 10, month: 6, text: "Định kỳ 6 tháng (trước ngày 10/6)" },
      { kind: "annual", day: 10, month: 12, text: "hằng năm (trước ngày 10/12)" },
    ]);
  });

  it("reads quarterly duties, one-off dates with a year, and a date before its period", () => {
    expect(findDeadlines("Sở Y tế hằng quý tổng hợp số liệu.")).toEqual([{ kind: "quarterly", text: "hằng quý" }]);
    expect(findDeadlines("Trình Đề án trước ngày 15/10/2026.")).toEqual([
      { kind: "once", day: 15, month: 10, year: 2026, text: "trước ngày 15/10/2026" },
    ]);
    expect(findDeadlines("Báo cáo trước ngày 5/11 hằng năm.")[0]).toMatchObject({ kind: "annual", day: 5, month: 11 });
    expect(findDeadlines("Bố trí vốn trung hạn và hằng năm cho dự án.")).toEqual([]);
  });
});

describe("header of a plan", () => {
  const header = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH CAO BẰNG",
    "Số: 77/KH-UBND",
    "Cao Bằng, ngày 2 tháng 4 năm 2025",
    "KẾ HOẠCH",
    "Thực hiện Chương trình hành động số 31-CTr/TU",
    "về chuyển đổi số năm 2025",
    "Căn cứ Luật Tổ chức chính quyền địa phương;",
    "I. MỤC ĐÍCH",
    "1. Mục đích",
    "- Nội dung.",
  ].join("\n\n");

  it("reads the whole title block up to the first 'Căn cứ' line, even when it starts with 'Thực hiện'", () => {
    const meta = detectMetadata(header);
    expect(meta.title).toBe("Kế hoạch thực hiện Chương trình hành động số 31-CTr/TU về chuyển đổi số năm 2025");
    expect(meta.issuer).toBe("Ủy ban nhân dân tỉnh Cao Bằng");
  });

  it("derives names users give the plan: number, programme, province", () => {
    expect(deriveAliases(detectMetadata(header))).toEqual([
      "77/KH-UBND",
      "Kế hoạch 77",
      "Kế hoạch số 77",
      "KH 77",
      "Chương trình 31-CTr/TU",
      "31-CTr/TU",
      "Chương trình 31",
      "kế hoạch của tỉnh Cao Bằng",
      "tỉnh Cao Bằng",
    ]);
  });
});

describe("texts generated from the corpus profile", () => {
  const doc = { id: "kh-x", shortTitle: "Kế hoạch 9/KH-UBND (tỉnh Y)", status: "in_force", role: "primary" } as DocumentMeta;
  const profile = profileSchema.parse({
    assistant: { name: "Trợ lý thử", description: "Kế hoạch 9 của tỉnh Y", examples: ["Hạn báo cáo quý là khi nào?"] },
  });

  it("greets with the profile's subject and examples, and abstains listing what it can answer", () => {
    const greeting = greetingText({ profile, documents: [doc] });
    expect(greeting).toContain("Trợ lý trả lời câu hỏi về Kế hoạch 9 của tỉnh Y");
    expect(greeting).toContain("- Hạn báo cáo quý là khi nào?");
    expect(abstainText({ profile, documents: [doc] })).toContain("- Kế hoạch 9/KH-UBND (tỉnh Y).");
  });

  it("lists at most a few documents as what it can answer, pointing to /nguon for the rest", () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...doc, id: `kh-${i}`, shortTitle: `Kế hoạch ${i}/KH-UBND` }));
    const text = abstainText({ profile: profileSchema.parse({}), documents: many });
    expect(text).toContain("- Kế hoạch 7/KH-UBND;");
    expect(text).not.toContain("Kế hoạch 8/KH-UBND");
    expect(text).toContain("và 22 văn bản khác (gõ /nguon để xem danh sách)");
  });

  it("without a profile, names the primary documents", () => {
    expect(greetingText({ profile: profileSchema.parse({}), documents: [doc] })).toContain(
      "Kế hoạch 9/KH-UBND (tỉnh Y) và các văn bản liên quan",
    );
  });
});

describe("eval figures per document", () => {
  it("groups items by the document of their first expected section", () => {
    const items: EvalItem[] = [
      { id: "a", question: "q", expect: ["kh-a#II.1"], must_include: [], must_not_include: [], should_abstain: false },
      { id: "b", question: "q", expect: ["kh-b#V.2"], must_include: [], must_not_include: [], should_abstain: false },
      { id: "c", question: "q", expect: [], must_include: [], must_not_include: [], should_abstain: true },
    ];
    const result = (id: string, hitRank: number | null, abstained = false): ItemResult => ({
      id,
      question: "q",
      abstained,
      shouldAbstain: id === "c",
      hitRank,
      missingIncludes: [],
      forbidden: [],
      unfaithful: [],
      cited: [],
      leadHolds: null,
      length: 100,
    });
    const results = [result("a", 1), result("b", null), result("c", null, true)];
    const byDoc = groupedMetrics(items, results, itemDocument);
    expect([...byDoc.keys()]).toEqual(["(out of scope)", "kh-a", "kh-b"]);
    expect(byDoc.get("kh-a")?.["hit@5"]).toBe(1);
    expect(byDoc.get("kh-b")?.["hit@5"]).toBe(0);
    expect(byDoc.get("(out of scope)")?.abstention).toBe(1);
    expect(aggregate(items, results, 0)["hit@5"]).toBe(0.5);
    // A declined out-of-scope item that named the nearest parts is counted apart (noise, not a wrong answer).
    expect(aggregate(items, results, 0).declined_with_pointers).toBe(0);
    const pointing = [result("a", 1), result("b", null), { ...result("c", null, true), pointers: true }];
    expect(aggregate(items, pointing, 0)).toMatchObject({ abstention: 1, declined_with_pointers: 1 });
  });
});

describe("role option (CLI `set --role`, chat `/sua … --role`, HTTP `PATCH {role}`)", () => {
  it("reads primary and reference, and refuses anything else in Vietnamese", () => {
    expect(overridesFrom(parseFlags(splitArgs("kh-9 --role primary")).flags)).toEqual({ role: "primary" });
    expect(overridesFrom(parseFlags(["--role", "reference"]).flags)).toEqual({ role: "reference" });
    let refusal: unknown;
    try {
      overridesFrom(parseFlags(["--role", "main"]).flags);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toMatchObject({ code: "usage", vi: expect.stringMatching(/^Vai trò «main» không hợp lệ/), message: "bad role main" });
  });
});
