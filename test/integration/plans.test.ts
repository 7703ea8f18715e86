// Every plan, not one: two plans of other provinces (different structures) added through `corpus add` next to
// the shipped corpus. Each answers its own reporting chain and dates, its agencies' duties, its targets and
// support amounts; unqualified questions follow the primary role; `corpus set --role` changes that.
// In test/integration because every corpus change here rebuilds the index of the shipped corpus.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/corpus/manifest.js";
import { agenciesOfIndex, createDutyCommands, dutiesForIndex, type DutyCommands } from "../../src/duties/index.js";
import type { Answer } from "../../src/types.js";
import { corpusWithPlans, PLAN_412, PLAN_95, type PlansCorpus } from "../plans/helpers.js";

let c: PlansCorpus;
beforeAll(async () => {
  c = await corpusWithPlans([PLAN_412, PLAN_95]);
}, 180_000);
afterAll(() => c?.cleanup());

const ask = (q: string) => c.assistant.ask(q);
const docsOf = (a: Answer) => [...a.citations, ...(a.more?.citations ?? [])].map((x) => x.doc);
const noStore = { subscribe: () => true, unsubscribe: () => true } as never;
function commands(now = new Date("2025-06-01T03:00:00Z")): DutyCommands {
  const index = () => c.assistant.index();
  return createDutyCommands({
    duties: () => dutiesForIndex(index()),
    docs: () => index().documents,
    agencies: () => agenciesOfIndex(index()),
    store: noStore,
    clock: () => now,
  });
}

describe("corpus add reads each plan's header", () => {
  it("takes the whole title block, the number and the issuer, and derives aliases", () => {
    const docs = readManifest(c.config.corpusDir).documents;
    const p412 = docs.find((d) => d.id === PLAN_412.id)!;
    expect(p412.title).toBe(
      "Kế hoạch thực hiện Chương trình hành động số 18-CTr/TU ngày 20/02/2025 của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số " +
        "57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    );
    expect(p412).toMatchObject({ number: "412/KH-UBND", issuer: "Ủy ban nhân dân tỉnh Hà Tĩnh", role: "reference", date: "2025-03-14" });
    expect(p412.aliases).toEqual(
      expect.arrayContaining(["412/KH-UBND", "Kế hoạch 412", "KH 412", "Chương trình 18-CTr/TU", "kế hoạch của tỉnh Hà Tĩnh"]),
    );
    const p95 = docs.find((d) => d.id === PLAN_95.id)!;
    expect(p95.title).toMatch(/^Kế hoạch triển khai Chương trình hành động số 05-CTr\/TU .* tỉnh Gia Lai sau hợp nhất$/);
    expect(p95.aliases).toEqual(expect.arrayContaining(["Kế hoạch 95", "Chương trình 05-CTr/TU", "tỉnh Gia Lai"]));
  });
});

describe("a question naming a plan answers from that plan", () => {
  it.each([
    ["Theo Kế hoạch 412, ai báo cáo cho ai, khi nào?", PLAN_412.id, ["15/6", "15/12"]],
    ["hạn gửi báo cáo hằng năm theo 412/KH-UBND là khi nào", PLAN_412.id, ["15/12"]],
    ["Kế hoạch của tỉnh Gia Lai: các sở báo cáo kết quả gửi đâu, hạn khi nào?", PLAN_95.id, ["20/6", "20/12"]],
    ["Chương trình 05-CTr/TU: báo cáo định kỳ gửi ai?", PLAN_95.id, ["20/6"]],
  ])("%s", async (q, doc, dates) => {
    const a = await ask(q);
    expect(a.abstained).toBe(false);
    expect(new Set(docsOf(a))).toEqual(new Set([doc]));
    for (const d of dates) expect(a.lead).toContain(d);
    expect(a.answer).not.toContain("30/11");
    expect(a.lead).toMatch(/→ Sở Khoa học và Công nghệ → Ủy ban nhân dân tỉnh/);
  });

  it("answers duties of a named plan's agencies from that plan, with its dates", async () => {
    const a = await ask("Kế hoạch 95 giao Sở Tài chính làm gì?");
    expect(a.citations[0]).toMatchObject({ doc: PLAN_95.id, section: "V.2" });
    expect(a.lead).toContain("trước ngày 30/9/2025");
    const q = await ask("Theo Kế hoạch 95, Sở Khoa học và Công nghệ có nhiệm vụ gì?");
    expect(q.citations[0]).toMatchObject({ doc: PLAN_95.id, section: "V.1" });
    expect(q.lead).toContain("hằng quý");
  });

  it.each([
    ["Đến năm 2030 kinh tế số chiếm bao nhiêu % GRDP theo Kế hoạch 412?", PLAN_412.id, "25%"],
    ["Theo Kế hoạch 95 của tỉnh Gia Lai, kinh tế số chiếm bao nhiêu phần trăm GRDP đến năm 2030?", PLAN_95.id, "20%"],
    ["Kế hoạch 412 hỗ trợ chuyển giao công nghệ tối đa bao nhiêu tiền?", PLAN_412.id, "300 triệu đồng"],
    ["Theo Kế hoạch 95, doanh nghiệp nhỏ và vừa được hỗ trợ bao nhiêu chi phí thuê giải pháp chuyển đổi số?", PLAN_95.id, "50 triệu đồng"],
  ])("%s → the number", async (q, doc, fact) => {
    const a = await ask(q);
    expect(a.abstained).toBe(false);
    expect(a.citations[0]?.doc).toBe(doc);
    expect(a.answer).toContain(fact);
  });
});

describe("unqualified questions follow the primary role", () => {
  it("answers the shipped primary plan while the fixture plans are references", async () => {
    const a = await ask("Hạn nộp báo cáo hằng năm là khi nào?");
    expect(a.citations[0]?.doc).toBe("kh-ctr77");
    expect(a.lead).toContain("30/11");
  });

  it("/viec gives each plan's duties, each under its plan; /hanchot says which plan each deadline comes from", () => {
    const viec = commands().viec("Sở Nội vụ");
    expect(viec).toContain("Theo Kế hoạch 412/KH-UBND:");
    expect(viec).toContain("Theo Kế hoạch 95/KH-UBND:");
    expect(viec).toContain("trước ngày 31/10 hằng năm");
    expect(commands().viec("Sở Nội vụ Kế hoạch 95")).not.toContain("412");
    const hanchot = commands().hanchot();
    expect(hanchot).toMatch(/15\/06\/2025 — còn 14 ngày: .*Kế hoạch 412\/KH-UBND — Mục III\.6/);
    expect(hanchot).toMatch(/30\/09\/2025 — còn 121 ngày: Sở Tài chính .*Kế hoạch 95\/KH-UBND — Mục V\.2/);
    expect(hanchot).toMatch(/Hằng quý: Sở Khoa học và Công nghệ .*Kế hoạch 95\/KH-UBND — Mục V\.1/);
  });

  it("with two primary plans, an unqualified duty question is answered grouped by plan", async () => {
    await c.admin.update(PLAN_95.id, { role: "primary" });
    const a = await ask("Ai báo cáo cho ai, khi nào?");
    expect(a.lead.split("\n")).toHaveLength(2);
    expect(a.answer).toContain("Theo Kế hoạch thực hiện CTr 77-CTr/TU");
    expect(a.answer).toContain("Theo Kế hoạch 95/KH-UBND:");
    expect(new Set(docsOf(a))).toEqual(new Set(["kh-ctr77", PLAN_95.id]));
    await c.admin.update(PLAN_95.id, { role: "reference" });
  }, 60_000);
});

describe("a corpus without the shipped plan, another plan primary", () => {
  it("answers unqualified questions from the new primary plan", async () => {
    await c.admin.remove("kh-ctr77");
    await c.admin.update(PLAN_412.id, { role: "primary" });
    const report = await ask("Ai phải báo cáo kết quả thực hiện kế hoạch, hạn khi nào?");
    expect(new Set(docsOf(report))).toEqual(new Set([PLAN_412.id]));
    expect(report.lead).toContain("15/6");
    const duty = await ask("Sở Nội vụ phải làm gì?");
    expect(duty.citations[0]).toMatchObject({ doc: PLAN_412.id, section: "III.4" });
    const target = await ask("Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến toàn trình đạt bao nhiêu?");
    expect(target.citations[0]?.doc).toBe(PLAN_412.id);
    expect(target.answer).toContain("80%");
    expect(commands().viec("UBND huyện")).toContain("trước ngày 30/4/2025");
  }, 120_000);
});
