// Plans whose subject sits in the heading, task tables, and agencies with their history — on texts written for
// these tests (rules), then on a full plan of another province added through `corpus add` (answers, commands).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subjectFor } from "../../src/answer/compose.js";
import { agencyRegistryFrom, successorNote } from "../../src/duties/agencies.js";
import { answerDuties } from "../../src/duties/answer.js";
import { createDutyCommands } from "../../src/duties/commands.js";
import { formatHanchot } from "../../src/duties/deadlines.js";
import { extractDuties } from "../../src/duties/extract.js";
import { buildMatrix, renderMatrixMarkdown } from "../../src/duties/matrix.js";
import { parseDeadlineCell } from "../../src/duties/periods.js";
import { dutiesOfAgency } from "../../src/http/ics.js";
import { parseSections } from "../../src/sections/parse.js";
import { isTitleInCapitals, lowerTitle } from "../../src/text/vietnamese.js";
import type { DocumentMeta } from "../../src/types.js";
import { corpusWithPlans, type PlansCorpus } from "./helpers.js";

const AGENCIES = agencyRegistryFrom(
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../corpus/agencies.json"), "utf8")),
  "corpus",
);

const PLAN = [
  "KẾ HOẠCH",
  "Thực hiện chuyển đổi số năm 2026",
  "I. MỤC TIÊU",
  "a) Đến năm 2028",
  "- Kinh tế số chiếm 18% GRDP.",
  "II. NHIỆM VỤ",
  "1. Các nhiệm vụ cụ thể",
  "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |",
  "|---|---|---|---|---|",
  "| 1 | Xây dựng kho dữ liệu nông nghiệp | Sở Nông nghiệp và Môi trường | Sở Văn hóa, Thể thao và Du lịch; Ủy ban nhân dân các xã, phường, đặc khu | Quý III/2027; Kho dữ liệu |",
  "| 2 | Tổ chức Ngày hội số | Sở Khoa học và Công nghệ | Tỉnh đoàn | Hằng năm |",
  "Ghi chú: các nhiệm vụ khác do các sở tự xác định.",
  "III. TỔ CHỨC THỰC HIỆN",
  "1. Sở Tư pháp",
  "- Là cơ quan đầu mối, chủ trì, phối hợp với Sở Tài chính rà soát văn bản quy phạm pháp luật về chuyển đổi số.",
  "- Hoàn thành rà soát trước ngày 20/8/2026.",
  "2. Đối với Sở Y tế",
  "- Phối hợp với Sở Khoa học và Công nghệ triển khai bệnh án điện tử.",
  "3. Bảng nhân sự",
  "| Họ và tên | Chức vụ |",
  "| Nguyễn Văn A | Giám đốc |",
].join("\n\n");

const sectionsOf = () => parseSections("kh-t", PLAN, "plan");
const dutiesOf = () => extractDuties(sectionsOf(), { agencies: AGENCIES });

describe("headings carry the subject", () => {
  it("keeps an agency, programme or target heading as the subject of the text under it", () => {
    const byId = new Map(sectionsOf().map((s) => [s.id, s]));
    expect(byId.get("III.1")?.subject).toBe("Sở Tư pháp");
    expect(byId.get("I.a")?.subject).toBe("Đến năm 2028");
    expect(byId.get("II.1")?.subject).toBeUndefined();
    expect(byId.get("III.1")?.paragraphs[0]).toMatch(/^Là cơ quan đầu mối/);
  });

  it("takes a law's article title as its doer only when it gives an agency its tasks", () => {
    const law = [
      "Điều 3. Trách nhiệm của Bộ Hải đảo",
      "Bộ Hải đảo hướng dẫn đăng ký tàu cá.",
      "Điều 4. Văn phòng đại diện của quỹ nước ngoài",
      "1. Giấy phép thành lập văn phòng đại diện được cấp cho quỹ có vốn từ 10 tỷ đồng.",
      "Điều 5. Sở hữu chung của hộ ngư dân",
      "Tàu cá của hộ ngư dân thuộc sở hữu chung.",
    ].join("\n\n");
    const byId = new Map(parseSections("luat-t", law, "articles").map((s) => [s.id, s]));
    expect(byId.get("D3")?.subject).toBe("Trách nhiệm của Bộ Hải đảo");
    expect(byId.get("D4.1")?.subject).toBeUndefined();
    expect(byId.get("D5")?.subject).toBeUndefined();
  });

  it("shows the subject with a quote only when the quote lacks it", () => {
    const s = sectionsOf().find((x) => x.id === "III.1")!;
    expect(subjectFor(s, s.paragraphs[0]!)).toBe("Sở Tư pháp");
    expect(subjectFor(s, "Sở Tư pháp rà soát văn bản.")).toBe("");
  });

  it("gives dash items the heading's agency as doer; 'phối hợp với' names partners, not doers", () => {
    const duties = dutiesOf().filter((d) => d.section.startsWith("III."));
    const lead = duties.find((d) => d.section === "III.1" && d.actor === "so-tu-phap" && d.role === "chu_tri");
    expect(lead).toMatchObject({ partners: ["so-tai-chinh"], via: "context" });
    expect(lead?.action).toMatch(/^Là cơ quan đầu mối, chủ trì/);
    expect(duties.find((d) => d.section === "III.1" && d.deadline)).toMatchObject({
      actor: "so-tu-phap",
      deadline: { kind: "once", day: 20, month: 8, year: 2026 },
    });
    // Sở Tài chính shares the task as partner; Sở KH&CN (named after "phối hợp với" under Sở Y tế) gets nothing.
    expect(duties.filter((d) => d.actor === "so-tai-chinh").map((d) => d.role)).toEqual(["phoi_hop"]);
    expect(duties.filter((d) => d.section === "III.2").map((d) => [d.actor, d.role])).toEqual([["so-y-te", "phoi_hop"]]);
  });
});

describe("task tables", () => {
  it("makes one section per row, its cells named by the header; other tables stay text", () => {
    const byId = new Map(sectionsOf().map((s) => [s.id, s]));
    expect(byId.get("II.1.1")).toMatchObject({
      heading: "Xây dựng kho dữ liệu nông nghiệp",
      paragraphs: ["Xây dựng kho dữ liệu nông nghiệp"],
      fields: {
        "Cơ quan chủ trì": "Sở Nông nghiệp và Môi trường",
        "Cơ quan phối hợp": "Sở Văn hóa, Thể thao và Du lịch; Ủy ban nhân dân các xã, phường, đặc khu",
        "Thời hạn hoàn thành": "Quý III/2027; Kho dữ liệu",
      },
    });
    expect(byId.get("II.1")?.paragraphs).toEqual(["Ghi chú: các nhiệm vụ khác do các sở tự xác định."]);
    expect(byId.get("III.3")?.paragraphs).toEqual(["Họ và tên", "Chức vụ", "Nguyễn Văn A", "Giám đốc"]);
  });

  it("numbers rows without a number column in order", () => {
    const text = [
      "I. NHIỆM VỤ",
      "1. Nhiệm vụ",
      "| Nhiệm vụ | Đơn vị chủ trì | Thời gian |",
      "| Lập đề án | Sở Y tế | Tháng 5/2026 |",
      "| Tập huấn | Sở Nội vụ | 2027 |",
    ].join("\n");
    const rows = parseSections("t", text, "plan").filter((s) => s.fields);
    expect(rows.map((s) => [s.id, s.fields!["Đơn vị chủ trì"]])).toEqual([
      ["I.1.1", "Sở Y tế"],
      ["I.1.2", "Sở Nội vụ"],
    ]);
  });

  it("keeps group rows with the table's section, skips a repeated header, reads an appendix table without row numbers", () => {
    const text = [
      "I. NHIỆM VỤ",
      "1. Danh mục",
      "| STT | Nội dung | Cơ quan chủ trì | Thời gian |",
      "| I | Nhóm nhiệm vụ về thể chế | | |",
      "| 1 | Ban hành quy chế | Sở Tư pháp | 2026 |",
      "| | (tiếp) hướng dẫn thi hành | | |",
      "| II | Nhóm nhiệm vụ về hạ tầng | | |",
      "| STT | Nội dung | Cơ quan chủ trì | Thời gian |",
      "| 2 | Lắp đặt trạm | Sở Xây dựng | Quý I/2027 |",
      "PHỤ LỤC I",
      "| Nội dung | Cơ quan chủ trì | Thời gian |",
      "| Tập huấn cán bộ | Sở Nội vụ | Hằng năm |",
    ].join("\n");
    const byId = new Map(parseSections("t", text, "plan").map((s) => [s.id, s]));
    expect(byId.get("I.1")?.paragraphs).toEqual(["Nhóm nhiệm vụ về thể chế", "Nhóm nhiệm vụ về hạ tầng"]);
    expect(byId.get("I.1.1")?.paragraphs).toEqual(["Ban hành quy chế", "(tiếp) hướng dẫn thi hành"]);
    expect(byId.get("I.1.2")?.fields).toEqual({ "Cơ quan chủ trì": "Sở Xây dựng", "Thời gian": "Quý I/2027" });
    expect(byId.get("PL1.1")?.fields).toEqual({ "Cơ quan chủ trì": "Sở Nội vụ", "Thời gian": "Hằng năm" });
  });

  it("gives each row's lead and partner agencies a duty with the row's deadline", () => {
    const rows = dutiesOf().filter((d) => d.section.startsWith("II.1."));
    expect(rows.map((d) => [d.section, d.actor, d.role, d.deadline?.kind, d.deadline?.month, d.deadline?.year])).toEqual([
      ["II.1.1", "so-nn-mt", "chu_tri", "once", 9, 2027],
      ["II.1.1", "so-vhttdl", "phoi_hop", "once", 9, 2027],
      ["II.1.1", "ubnd-xa", "phoi_hop", "once", 9, 2027],
      ["II.1.2", "so-khcn", "chu_tri", "annual", undefined, undefined],
      ["II.1.2", "tinh-doan", "phoi_hop", "annual", undefined, undefined],
    ]);
  });

  it("reads quarters, months, years and 'hằng năm' in a time cell that also names the product", () => {
    expect(parseDeadlineCell("Quý II/2026; Quyết định của UBND tỉnh")).toMatchObject({
      kind: "once",
      month: 6,
      year: 2026,
      text: "Quý II/2026",
    });
    expect(parseDeadlineCell("Tháng 12/2026 - Cơ sở dữ liệu")).toMatchObject({ kind: "once", month: 12, year: 2026 });
    expect(parseDeadlineCell("Năm 2027, ứng dụng")).toMatchObject({ kind: "once", year: 2027 });
    expect(parseDeadlineCell("Hằng năm; Báo cáo")).toMatchObject({ kind: "annual" });
    expect(parseDeadlineCell("Thường xuyên")).toBeUndefined();
  });
});

describe("one duty per (agency, action, deadline)", () => {
  it("keeps one record when a sentence repeats a task the plan already gave", () => {
    const text = [
      "I. TỔ CHỨC THỰC HIỆN",
      "1. Sở Nội vụ báo cáo kết quả trước ngày 10/12 hằng năm gửi Ủy ban nhân dân tỉnh.",
      "2. Sở Nội vụ báo cáo kết quả trước ngày 10/12 hằng năm gửi Ủy ban nhân dân tỉnh.",
    ].join("\n\n");
    const duties = extractDuties(parseSections("t", text, "plan"), { agencies: AGENCIES });
    expect(duties.filter((d) => d.actor === "so-noi-vu")).toHaveLength(1);
    expect(duties.map((d) => d.order)).toEqual(duties.map((_, i) => i));
  });
});

describe("agencies with their history", () => {
  it("knows the former agencies each one replaced, with the date", () => {
    expect(AGENCIES.get("so-tn-mt")).toMatchObject({ mergedInto: "so-nn-mt", mergedOn: "2025-03-01" });
    expect(AGENCIES.get("so-nn-ptnt")?.mergedInto).toBe("so-nn-mt");
    expect(AGENCIES.resolve("Sở Nông nghiệp và Môi trường")?.id).toBe("so-nn-mt");
    expect(successorNote(AGENCIES, AGENCIES.get("so-tn-mt")!)).toBe(
      "Sở Tài nguyên và Môi trường nay là Sở Nông nghiệp và Môi trường (từ 01/03/2025)",
    );
    expect(() =>
      agencyRegistryFrom({ agencies: [{ id: "a", name: "A", kind: "agency", replaces: [{ id: "b", date: "2025-03-01" }] }] }, "t"),
    ).toThrow(/unknown former agency b/);
  });

  it("answers a question naming a former agency with its successor's duties, and says so", () => {
    const meta = {
      id: "kh-t",
      shortTitle: "Kế hoạch T",
      style: "plan",
      role: "primary",
      status: "in_force",
      issuer: "UBND tỉnh",
      aliases: [],
    } as unknown as DocumentMeta;
    const a = answerDuties("Sở Tài nguyên và Môi trường phải làm gì?", dutiesOf(), [meta], { agencies: AGENCIES });
    expect(a?.lead).toMatch(
      /^Sở Tài nguyên và Môi trường nay là Sở Nông nghiệp và Môi trường \(từ 01\/03\/2025\)\. Sở Nông nghiệp và Môi trường — chủ trì/,
    );
    expect(a?.lead).toContain("Xây dựng kho dữ liệu nông nghiệp");
  });
});

describe("a title in capitals with document numbers", () => {
  it("is read as capitals and lowered, its document numbers kept as written", () => {
    const title = "VỀ THỰC HIỆN NGHỊ QUYẾT SỐ 09-NQ/TU VÀ NGHỊ ĐỊNH SỐ 80/2021/NĐ-CP NGÀY 26/8/2021";
    expect(isTitleInCapitals(title)).toBe(true);
    expect(lowerTitle(title)).toBe("về thực hiện nghị quyết số 09-NQ/TU và nghị định số 80/2021/NĐ-CP ngày 26/8/2021");
    expect(isTitleInCapitals("Về thực hiện Nghị quyết số 09-NQ/TU")).toBe(false);
  });
});

describe("another province's plan in the heading-subject layout, added with corpus add", () => {
  let c: PlansCorpus;
  const ID = "kh-318-kh-ubnd-2025";
  beforeAll(async () => {
    c = await corpusWithPlans([{ file: "kh-318-quang-tri.md" }]);
  }, 60_000);
  afterAll(() => c?.cleanup());

  it("reads the number, date and issuer, and a title in capitals that begins with 'Thực hiện'", () => {
    const meta = c.assistant.documents().find((d) => d.id === ID)!;
    expect(meta).toMatchObject({ number: "318/KH-UBND", issuer: "Ủy ban nhân dân tỉnh Quảng Trị" });
    expect(meta.title).toMatch(/^Kế hoạch thực hiện chương trình hành động số 14-CTr\/TU ngày 05\/8\/2025 .* giai đoạn 2025 - 2030$/);
    expect(meta.aliases).toContain("Chương trình 14-CTr/TU");
  });

  it("quotes a dash item with its agency heading and names the agency in the lead", async () => {
    const a = await c.assistant.ask("Theo Kế hoạch 318, cơ quan nào là cơ quan thường trực?");
    expect(a.lead).toContain("Mục V.1 — Sở Khoa học và Công nghệ: «Là cơ quan thường trực");
    expect(a.lead).toMatch(/^Cơ quan được giao: Sở Khoa học và Công nghệ/);
    expect(a.citations[0]!.quote).toMatch(/^Là cơ quan thường trực/);
  });

  it("leads a task-table row's answer with its cell: the time for 'khi nào', the lead agency for 'cơ quan nào'", async () => {
    const when = await c.assistant.ask("Theo Kế hoạch 318, nâng cấp Trung tâm dữ liệu tỉnh đạt Tier III khi nào xong?");
    expect(when.lead).toMatch(/^Thời hạn: Năm 2027\. Theo Kế hoạch 318\/KH-UBND — Mục III\.7\.3: «Nâng cấp Trung tâm dữ liệu/);
    const who = await c.assistant.ask("Kế hoạch 318: cơ quan nào chủ trì đào tạo kỹ năng số cho cán bộ cấp xã?");
    expect(who.lead).toMatch(/^Cơ quan được giao: Sở Nội vụ\./);
  });

  it("answers a one-off deadline under an agency heading with that date, not the reporting date", async () => {
    const a = await c.assistant.ask("Theo Kế hoạch 318, Công an tỉnh kết nối Cơ sở dữ liệu quốc gia về dân cư xong trước ngày nào?");
    expect(a.lead).toContain("15/10/2025");
    expect(a.lead).not.toContain("25/11");
    // The doer is the heading's agency; Sở KH&CN, named after "phối hợp với", is not.
    const who = await c.assistant.ask("Theo Kế hoạch 318, cơ quan nào chủ trì kết nối Cơ sở dữ liệu quốc gia về dân cư?");
    expect(who.lead).toMatch(/^Cơ quan được giao: Công an tỉnh\. Theo Kế hoạch 318\/KH-UBND — Mục V\.7 — Công an tỉnh: «Chủ trì, phối hợp/);
  });

  it("keeps 'Sở Nông nghiệp và Môi trường' everywhere: answers, /viec, /hanchot, the matrix", async () => {
    const plan = (await c.assistant.ask("Theo Kế hoạch 318, Sở Nông nghiệp và Môi trường có nhiệm vụ gì?")).answer;
    const index = c.assistant.index();
    const duties = index.duties.filter((d) => d.doc === ID);
    const docs = c.assistant.documents();
    const cmds = createDutyCommands({ duties, docs, agencies: index.agencies, store: undefined as never });
    const hanchot = formatHanchot(duties, new Date("2026-01-05T03:00:00Z"), 420, { agencies: index.agencies, docs });
    const matrix = renderMatrixMarkdown(buildMatrix(duties, index.agencies, docs));
    for (const text of [plan, cmds.viec("Sở Nông nghiệp và Môi trường"), hanchot, matrix]) {
      expect(text).toContain("Sở Nông nghiệp và Môi trường");
      expect(text).not.toContain("Phát triển nông thôn");
    }
    expect(hanchot).toContain("Sở Nông nghiệp và Môi trường xây dựng bản đồ số vùng nguyên liệu");
    expect(hanchot).toContain("quý III/2026");
  });

  it("lists each reporting duty once in /hanchot", () => {
    const index = c.assistant.index();
    const duties = index.duties.filter((d) => d.doc === ID);
    const hanchot = formatHanchot(duties, new Date("2026-01-05T03:00:00Z"), 420, {
      agencies: index.agencies,
      docs: c.assistant.documents(),
    });
    const lines = hanchot.split("\n").filter((l) => l.includes("10/06/2026"));
    expect(lines).toHaveLength(1);
  });

  it("answers a former agency name with the agency that replaced it", async () => {
    const a = await c.assistant.ask("Theo Kế hoạch 318, Sở Tài nguyên và Môi trường phải làm gì?");
    expect(a.lead).toMatch(/^Sở Tài nguyên và Môi trường nay là Sở Nông nghiệp và Môi trường/);
    // Answered from retrieval, the quote's heading names the successor: the reply connects the two names.
    const when = await c.assistant.ask("Kế hoạch 318: Sở Tài nguyên và Môi trường hoàn thành số hóa hồ sơ địa chính trước ngày nào?");
    expect(when.lead).toContain("30/6/2026");
    expect(when.answer).toContain("Lưu ý: Sở Tài nguyên và Môi trường nay là Sở Nông nghiệp và Môi trường (từ 01/03/2025).");
    // The calendar filtered by the former name (/lich.ics?co-quan=…) lists the successor's deadlines.
    const index = c.assistant.index();
    const duties = index.duties.filter((d) => d.doc === ID);
    expect(dutiesOfAgency(duties, "so-tn-mt", index.agencies).filter((d) => d.actor === "so-nn-mt").length).toBeGreaterThan(2);
  });
});
