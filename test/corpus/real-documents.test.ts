// Documents as offices send them: a DOCX from the standard template (header table, bold title of 290
// characters beginning "Thực hiện", Word numbering, task table), the same plan typed in TCVN3 fonts, VNI text,
// and the same plan as a PDF text layer. Read through the console's preview and answered from.
import fs from "node:fs";
import path from "node:path";
import { Document, Packer, Paragraph, TextRun } from "docx";
import { describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/answer/index.js";
import { corpusAdmin } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { previewJson, previewWarnings } from "../../src/console/preview.js";
import { readManifest } from "../../src/corpus/manifest.js";
import { ocrReport, parseTsv } from "../../src/corpus/ingest/ocr.js";
import { repairRomanHeadings } from "../../src/corpus/ingest/pdf-ocr.js";
import {
  decodeLegacy,
  detectMetadata,
  encodeTcvn3,
  encodeVni,
  legacyEncoding,
  prepareDocument,
  type PreparedDocument,
} from "../../src/corpus/ingest/index.js";
import { agenciesOfIndex } from "../../src/duties/index.js";
import { currentVersion, loadVersion } from "../../src/index/store.js";
import { refusal } from "../admin/helpers.js";
import { emptyDataDir, ROOT, testDataDir } from "../channels/helpers.js";
import { textPdf } from "./fixtures.js";
import {
  FIRST_BODY,
  hanchotOf,
  imageOnlyPdf,
  TEMPLATE_DEADLINE,
  TEMPLATE_META,
  TEMPLATE_TITLE,
  tcvn3PlanDocx,
  templatePlanDocx,
  templatePlanLines,
} from "./template-fixtures.js";

const prepare = (bytes: Buffer, name: string) => prepareDocument(bytes, name, { maxBytes: 2e7 });
const codes = (p: PreparedDocument) => previewWarnings(p).map((w) => w.code);
const sectionTexts = (p: PreparedDocument) => p.sections.map((s) => [s.id, s.heading, ...s.paragraphs].join(" | "));

async function consoleCorpus() {
  const corpusDir = path.join(emptyDataDir(), "corpus");
  fs.cpSync(path.join(ROOT, "test/console/fixtures/corpus"), corpusDir, { recursive: true });
  return loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: await testDataDir(corpusDir), LOG_LEVEL: "silent" });
}

describe("the standard template's header and title block", () => {
  it("reads issuer, number, date and the whole bold title from a DOCX header table, not the first body paragraph", async () => {
    const p = await prepare(await templatePlanDocx(), "ke-hoach-152.docx");
    expect(p.meta).toMatchObject({
      ...TEMPLATE_META,
      title: `Kế hoạch ${TEMPLATE_TITLE.charAt(0).toLowerCase()}${TEMPLATE_TITLE.slice(1)}`,
    });
    expect(TEMPLATE_TITLE.length).toBe(290);
    expect(p.meta.title).not.toContain(FIRST_BODY.slice(0, 30));
    expect(p.meta.aliases).toEqual(expect.arrayContaining(["152/KH-UBND", "Chương trình 18-CTr/TU", "kế hoạch của tỉnh Tây Ninh"]));
    expect(codes(p)).not.toContain("missing_meta");
    // Word numbering and the bold markers do not disturb the sections.
    expect(p.sections.map((s) => s.id)).toEqual(expect.arrayContaining(["I.1.a", "I.1.b", "II.1", "II.2", "III.1"]));
    expect(p.sections.find((s) => s.id === "II.1")!.heading).toMatch(/^Sở Khoa học và Công nghệ chủ trì xây dựng Cổng thông tin/);
  });

  it("reads the same plan from a PDF text layer (no bold known): the title stops before the body's first sentence", async () => {
    const lines = templatePlanLines();
    const p = await prepare(await textPdf([lines.slice(0, 12), lines.slice(12)]), "ke-hoach-152.pdf");
    expect(p.meta).toMatchObject(TEMPLATE_META);
    expect(p.meta.title).toBe(`Kế hoạch ${TEMPLATE_TITLE.charAt(0).toLowerCase()}${TEMPLATE_TITLE.slice(1)}`);
  });

  it("reads number, date and issuer from either column, a Sở under its province and a Tỉnh ủy under its Đảng bộ", () => {
    const motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc";
    const cases: Array<[string, Record<string, string>]> = [
      [
        `| UBND TỈNH TÂY NINH SỞ KHOA HỌC VÀ CÔNG NGHỆ ------- Số: 45/KH-SKHCN | ${motto} ------- Tây Ninh, ngày 3 tháng 2 năm 2025 |\n\n**KẾ HOẠCH**\n\n**Ứng dụng công nghệ năm 2025**\n\nViệc ứng dụng công nghệ cần được đẩy mạnh.`,
        {
          issuer: "Sở Khoa học và Công nghệ tỉnh Tây Ninh",
          number: "45/KH-SKHCN",
          date: "2025-02-03",
          title: "Kế hoạch ứng dụng công nghệ năm 2025",
        },
      ],
      [
        `| ${motto} | ỦY BAN NHÂN DÂN TỈNH TÂY NINH |\n| Tây Ninh, ngày 12 tháng 6 năm 2025 | Số: 152/KH-UBND |\n\nKẾ HOẠCH\n\nVề chuyển đổi số\n\nI. MỤC TIÊU`,
        { issuer: "Ủy ban nhân dân tỉnh Tây Ninh", number: "152/KH-UBND", date: "2025-06-12", title: "Kế hoạch về chuyển đổi số" },
      ],
      [
        "| ĐẢNG BỘ TỈNH TÂY NINH TỈNH ỦY * Số 18-CTr/TU | ĐẢNG CỘNG SẢN VIỆT NAM Tây Ninh, ngày 20 tháng 3 năm 2025 |\n\nCHƯƠNG TRÌNH HÀNH ĐỘNG\n\nthực hiện Nghị quyết số 57-NQ/TW\n\nI. MỤC TIÊU",
        {
          issuer: "Tỉnh ủy Tây Ninh",
          number: "18-CTr/TU",
          date: "2025-03-20",
          title: "Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW",
        },
      ],
      [
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH LÂM ĐỒNG Độc lập - Tự do - Hạnh phúc\nSố: 15/KH-UBND Lâm Đồng, ngày 20 tháng 8 năm 2025\nKẾ HOẠCH\nPhát triển khoa học\nI. MỤC ĐÍCH",
        { issuer: "Ủy ban nhân dân tỉnh Lâm Đồng", number: "15/KH-UBND", date: "2025-08-20", title: "Kế hoạch phát triển khoa học" },
      ],
    ];
    for (const [text, expected] of cases) expect(detectMetadata(text)).toMatchObject(expected);
  });

  it("the preview shows the fields read, and warns about those it could not read", async () => {
    const config = await consoleCorpus();
    const admin = corpusAdmin(config);
    const { prepared, staged } = await admin.stage({ bytes: await templatePlanDocx(), fileName: "ke-hoach-152.docx" });
    try {
      const json = previewJson(prepared, staged, agenciesOfIndex(staged.index));
      expect(json.document).toMatchObject({
        ...TEMPLATE_META,
        title: expect.stringMatching(/^Kế hoạch thực hiện Chương trình hành động số 18-CTr\/TU/),
      });
      expect(json.missing).toEqual([]);
    } finally {
      staged.discard();
    }
    const bare = await prepare(Buffer.from("Kế hoạch\n\nI. NHIỆM VỤ\n\n1. Sở Tài chính bố trí kinh phí thực hiện.\n"), "kh.txt");
    const warning = previewWarnings(bare).find((w) => w.code === "missing_meta");
    expect(warning?.text).toContain("cơ quan ban hành, số hiệu, ngày ban hành, tên (trích yếu) văn bản");
  });
});

describe("role on upload", () => {
  it("asks whether a new plan is the main plan, says what each choice does, and applies the choice on commit", async () => {
    const config = await consoleCorpus();
    const admin = corpusAdmin(config);
    const { prepared, staged } = await admin.stage({ bytes: await templatePlanDocx(), fileName: "ke-hoach-152.docx" });
    const { role } = previewJson(prepared, staged, agenciesOfIndex(staged.index));
    staged.discard();
    // No main plan is marked in this corpus: a new plan is suggested as the main one.
    expect(role).toMatchObject({ ask: true, suggested: "primary" });
    expect(role.choices.map((c) => c.value)).toEqual(["primary", "reference"]);
    expect(role.choices[0]!.effect).toContain("/hanchot");

    await admin.add({ bytes: await templatePlanDocx(), fileName: "ke-hoach-152.docx", overrides: { role: "primary" } });
    const doc = readManifest(config.corpusDir).documents.find((d) => d.number === TEMPLATE_META.number)!;
    expect(doc.role).toBe("primary");
    const index = await loadVersion(config, currentVersion(config.dataDir)!);
    const hanchot = hanchotOf(index);
    expect(hanchot).toContain("30/9/2025");

    // The next plan from another office is suggested as reference now that a main plan exists.
    const { prepared: p2, staged: s2 } = await admin.stage({
      bytes: Buffer.from(
        "ỦY BAN NHÂN DÂN TỈNH KHÁC\n\nSố: 7/KH-UBND\n\nKẾ HOẠCH\n\nVề chuyển đổi số năm 2026\n\nI. NHIỆM VỤ\n\n1. Sở Nội vụ chủ trì rà soát thủ tục hành chính, hoàn thành trong quý I năm 2026.\n\n2. Sở Tài chính bảo đảm kinh phí.\n",
      ),
      fileName: "kh-7.md",
    });
    expect(roleOf(p2, s2)).toMatchObject({ ask: true, suggested: "reference" });
    s2.discard();
  });
});

const roleOf = (p: PreparedDocument, s: Awaited<ReturnType<ReturnType<typeof corpusAdmin>["stage"]>>["staged"]) =>
  previewJson(p, s, agenciesOfIndex(s.index)).role;

/** Sentences from plans, with every tone mark, ă â ê ô ơ ư đ, capitals and digits. */
const SENTENCES = [
  "Cộng hòa xã hội chủ nghĩa Việt Nam - Độc lập - Tự do - Hạnh phúc",
  "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành xây dựng Cổng thông tin khởi nghiệp sáng tạo, hoàn thành trước ngày 30/9/2025.",
  "Huy động nguồn lực xã hội đầu tư cho nghiên cứu, ứng dụng và chuyển giao tiến bộ kỹ thuật; ưu tiên doanh nghiệp nhỏ và vừa.",
  "Người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh về kết quả thực hiện nhiệm vụ được giao.",
  "Tiếp tục rà soát, sửa đổi quy định về quỹ phát triển khoa học và công nghệ; khuyến khích thương mại hóa kết quả nghiên cứu.",
  "Thuỷ lợi, thủy sản, lĩnh vực y tế, giáo dục; kỹ sư, tiến sĩ, chuyên gia người Việt Nam ở nước ngoài; ỷ lại, ỹ, ỵ.",
];

describe("legacy fonts (TCVN3, VNI) converted to Unicode", () => {
  it("round-trips real sentences through TCVN3 and VNI", () => {
    for (const s of SENTENCES) {
      expect(decodeLegacy(encodeVni(s), "vni")).toBe(s);
      // TCVN3 has no codes for capitals with tone marks outside the "H" fonts: compare them in lower case there.
      const tcvn = encodeTcvn3(s);
      expect(tcvn).not.toMatch(/[\u0100-\uffff]/u);
      expect(decodeLegacy(tcvn, "tcvn3").toLowerCase()).toBe(s.toLowerCase());
      expect(decodeLegacy(encodeTcvn3(s.toUpperCase()), "tcvn3", true)).toBe(s.toUpperCase());
    }
  });

  it("decodes text typed in the old fonts as it reaches us (Latin-1 letters), and leaves Unicode alone", () => {
    expect(decodeLegacy("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3")).toBe("Cộng hoà xã hội chủ nghĩa Việt Nam");
    expect(decodeLegacy("Hç trî doanh nghiÖp khëi nghiÖp s¸ng t¹o tiÕp cËn v\u00adên \u00ad¬m c«ng nghÖ", "tcvn3")).toBe(
      "Hỗ trợ doanh nghiệp khởi nghiệp sáng tạo tiếp cận vườn ươm công nghệ",
    );
    expect(decodeLegacy("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni")).toBe("Cộng hòa xã hội chủ nghĩa Việt Nam");
    expect(decodeLegacy("Ñoäc laäp - Töï do - Haïnh phuùc", "vni")).toBe("Độc lập - Tự do - Hạnh phúc");
    expect(legacyEncoding(SENTENCES.join("\n"))).toBeNull();
  });

  it("converts a TCVN3 DOCX (.VnTime, .VnTimeH) into the same document as the Unicode one, and says so", async () => {
    const legacy = await prepare(await tcvn3PlanDocx(), "ke-hoach-cu.docx");
    const unicode = await prepare(await templatePlanDocx(), "ke-hoach-152.docx");
    expect(legacy.notes.legacyFont).toEqual({ encoding: "tcvn3", detectedBy: "font" });
    expect(sectionTexts(legacy)).toEqual(sectionTexts(unicode));
    expect(legacy.meta).toMatchObject({ ...TEMPLATE_META, title: unicode.meta.title });
    expect(legacy.meta.completeness).toContain("chuyển mã từ phông TCVN3 sang Unicode");
    const warnings = previewWarnings(legacy);
    expect(warnings.map((w) => w.code)).toEqual(["legacy_font_converted"]);
    expect(warnings[0]!.text).toContain("đã được chuyển sang Unicode");
  });

  it("answers from the converted TCVN3 plan", async () => {
    const config = await consoleCorpus();
    const { prepared, staged } = await corpusAdmin(config).stage({ bytes: await tcvn3PlanDocx(), fileName: "ke-hoach-cu.docx" });
    try {
      const a = await answerQuestion(staged.index, TEMPLATE_DEADLINE.question);
      expect(a.abstained).toBe(false);
      expect(a.citations[0]).toMatchObject({ doc: prepared.meta.id, section: "II.1" });
      expect(a.answer).toContain(TEMPLATE_DEADLINE.answer);
      expect(a.answer).toContain("Cổng thông tin khởi nghiệp sáng tạo");
    } finally {
      staged.discard();
    }
  });

  it("converts VNI text whole (a DOCX in VNI-Times, a text file), and never a Unicode run next to a legacy one", async () => {
    const lines = ["KẾ HOẠCH", "Về chuyển đổi số", "I. NHIỆM VỤ", `1. ${SENTENCES[1]}`, `2. ${SENTENCES[2]}`];
    const vniDocx = Buffer.from(
      await Packer.toBuffer(
        new Document({
          sections: [{ children: lines.map((l) => new Paragraph({ children: [new TextRun({ text: encodeVni(l), font: "VNI-Times" })] })) }],
        }),
      ),
    );
    const fromDocx = await prepare(vniDocx, "kh-vni.docx");
    expect(fromDocx.notes.legacyFont).toEqual({ encoding: "vni", detectedBy: "font" });
    expect(fromDocx.sections.find((s) => s.id === "I.1")!.heading).toBe(SENTENCES[1]);

    const fromText = await prepare(Buffer.from(lines.map(encodeVni).join("\n\n")), "kh-vni.txt");
    expect(fromText.notes.legacyFont).toEqual({ encoding: "vni", detectedBy: "text" });
    expect(fromText.text).toContain(SENTENCES[2]);

    // A Unicode paragraph (Times New Roman) beside .VnTime paragraphs keeps its letters.
    const mixed = Buffer.from(
      await Packer.toBuffer(
        new Document({
          sections: [
            {
              children: [
                new Paragraph({ children: [new TextRun({ text: "KẾ HOẠCH", font: "Times New Roman" })] }),
                new Paragraph({ children: [new TextRun({ text: "I. NHIỆM VỤ", font: "Times New Roman" })] }),
                ...SENTENCES.slice(1, 4).map(
                  (s, i) =>
                    new Paragraph({ children: [new TextRun({ text: `${i + 1}. ${encodeTcvn3(s.toLowerCase())}`, font: ".VnTime" })] }),
                ),
                new Paragraph({ children: [new TextRun({ text: `4. ${SENTENCES[4]}`, font: "Times New Roman" })] }),
              ],
            },
          ],
        }),
      ),
    );
    const m = await prepare(mixed, "kh-tron.docx");
    expect(m.sections.find((s) => s.id === "I.1")!.heading).toBe(SENTENCES[1]!.toLowerCase());
    expect(m.sections.find((s) => s.id === "I.4")!.heading).toBe(SENTENCES[4]);
  });
});

describe("scanned PDFs without OCR tools", () => {
  it("a scan is refused with a Vietnamese message naming what to install when tesseract is missing (English in the log)", async () => {
    const err = await refusal(
      prepareDocument(await imageOnlyPdf(), "ban-scan.pdf", { maxBytes: 2e7, limits: { ocr: { tesseract: "/khong-co/tesseract" } } }),
    );
    expect(err.code).toBe("ocr_unavailable");
    expect(err.vi).toContain("PDF không có lớp văn bản (bản scan)");
    expect(err.vi).toContain("tesseract-ocr-vie");
    expect(err.message).toMatch(/tesseract is not installed/);
  });

  it("with OCR turned off a scan is refused as having no text layer", async () => {
    const err = await refusal(
      prepareDocument(await imageOnlyPdf(), "ban-scan.pdf", { maxBytes: 2e7, limits: { ocr: { enabled: false } } }),
    );
    expect(err.code).toBe("no_text_layer");
  });

  it("reads tesseract's TSV into lines with confidences, and repairs a Roman numeral OCR lost a stroke of", () => {
    const row = (par: number, line: number, word: number, left: number, conf: number, text: string) =>
      ["5", "1", "1", String(par), String(line), String(word), String(left), "10", "40", "20", String(conf), text].join("\t");
    const tsv = [
      "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
      row(1, 1, 1, 100, 96, "II."),
      row(1, 1, 2, 150, 90, "NHIỆM"),
      row(1, 1, 3, 200, 30, "VỤ"),
      "4\t1\t1\t1\t2\t0\t100\t40\t300\t20\t-1\t",
      row(1, 2, 1, 100, -1, ""),
    ].join("\n");
    const page = parseTsv(tsv, 3);
    expect(page).toMatchObject({ page: 3, words: 3, lines: [{ text: "II. NHIỆM VỤ", left: 100, right: 240 }] });
    expect(page.confidence).toBeCloseTo(72, 0);
    // The preview's summary: mean over words, doubtful pages worst first.
    const good = { page: 1, lines: [], confidence: 95, words: 300 };
    const bad = { page: 2, lines: [], confidence: 61.6, words: 100 };
    expect(ocrReport([good, page, bad], 80)).toEqual({
      pages: [1, 3, 2],
      meanConfidence: Math.round((95 * 300 + page.confidence * 3 + 61.6 * 100) / 403),
      doubtful: [
        { page: 2, confidence: 62 },
        { page: 3, confidence: 72 },
      ],
    });
    expect(repairRomanHeadings("I. MỤC ĐÍCH\n1. Nội dung\nII. NHIỆM VỤ\nII. TỔ CHỨC THỰC HIỆN\nV. KINH PHÍ")).toBe(
      "I. MỤC ĐÍCH\n1. Nội dung\nII. NHIỆM VỤ\nIII. TỔ CHỨC THỰC HIỆN\nV. KINH PHÍ",
    );
  });
});
