// Test inputs generated on the fly: a small Lâm Đồng plan as DOCX, PDF (Unicode text layer), Markdown and
// text, a decree with articles, a scanned PDF without text, and broken or mislabelled files.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AlignmentType, Document, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { PDFDocument, PDFHexString, PDFName, rgb } from "pdf-lib";

export const PLAN_HEADER = {
  issuerCells: ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"],
  national: ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
  number: "Số: 15/KH-UBND",
  dateLine: "Lâm Đồng, ngày 20 tháng 8 năm 2025",
};

/** The plan body as lines (headings on their own lines, as an official document is typed). */
export const PLAN_BODY = [
  "KẾ HOẠCH",
  "Phát triển khoa học, công nghệ và đổi mới sáng tạo tỉnh Lâm Đồng năm 2026",
  "I. MỤC ĐÍCH, YÊU CẦU",
  "1. Mục đích",
  "a) Thúc đẩy ứng dụng công nghệ cao trong sản xuất cà phê và rau hoa Đà Lạt.",
  "b) Hỗ trợ doanh nghiệp khởi nghiệp sáng tạo tiếp cận vườn ươm công nghệ.",
  "2. Yêu cầu",
  "Các sở, ngành triển khai đồng bộ, hiệu quả, đúng tiến độ.",
  "II. NHIỆM VỤ",
  "1. Sở Khoa học và Công nghệ chủ trì xây dựng sàn giao dịch công nghệ của tỉnh, hoàn thành trong quý II năm 2026.",
  "2. Sở Nông nghiệp và Môi trường phối hợp chuyển giao giống cà phê chất lượng cao cho nông dân Di Linh.",
  "III. TỔ CHỨC THỰC HIỆN",
  "Các sở, ngành gửi kết quả thực hiện về Sở Khoa học và Công nghệ để tổng hợp.",
  "Nơi nhận:",
  "- Bộ Khoa học và Công nghệ;",
  "- Lưu: VT.",
  "TM. ỦY BAN NHÂN DÂN",
  "KT. CHỦ TỊCH",
];

/** A question only the Lâm Đồng plan answers, and the section that answers it. */
export const PLAN_QUESTION = { question: "Ai chủ trì xây dựng sàn giao dịch công nghệ?", section: "II.1" };

export function planMarkdown(): string {
  return [
    `| ${PLAN_HEADER.issuerCells.join(" ")} | ${PLAN_HEADER.national.join(" ")} |`,
    `| ${PLAN_HEADER.number} | ${PLAN_HEADER.dateLine} |`,
    "",
    ...PLAN_BODY.flatMap((l) => [l, ""]),
  ].join("\n");
}

/** Word numbering as plans use it: level 0 "1.", level 1 "a)". */
export const planNumbering = (reference: string) => ({
  reference,
  levels: [
    { level: 0, format: LevelFormat.DECIMAL, text: "%1." },
    { level: 1, format: LevelFormat.LOWER_LETTER, text: "%2)" },
  ],
});

const para = (text: string, bold = false) => new Paragraph({ children: [new TextRun({ text, bold })] });

const cell = (lines: string[]) =>
  new TableCell({
    width: { size: 50, type: WidthType.PERCENTAGE },
    children: lines.map((l) => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(l)] })),
  });

/**
 * The plan as a Word file: the header in a two-column table (as official documents are laid out) and the
 * points of I.1 typed with Word's automatic "a)" numbering instead of literal letters.
 */
export async function planDocx(): Promise<Buffer> {
  const body: Paragraph[] = [];
  for (const line of PLAN_BODY) {
    const point = /^([ab])\) (.*)$/.exec(line);
    if (point) body.push(new Paragraph({ numbering: { reference: "points", level: 1 }, children: [new TextRun(point[2]!)] }));
    else body.push(para(line, /^[IVX]+\.|^KẾ HOẠCH/.test(line)));
  }
  const doc = new Document({
    numbering: { config: [planNumbering("points")] },
    sections: [
      {
        children: [
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [
              new TableRow({ children: [cell(PLAN_HEADER.issuerCells), cell(PLAN_HEADER.national)] }),
              new TableRow({ children: [cell([PLAN_HEADER.number]), cell([PLAN_HEADER.dateLine])] }),
            ],
          }),
          ...body,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export const DECREE_LINES = [
  "CHÍNH PHỦ",
  "Số: 99/2025/NĐ-CP",
  "Hà Nội, ngày 5 tháng 3 năm 2025",
  "NGHỊ ĐỊNH",
  "Quy định về quỹ phát triển khoa học và công nghệ của địa phương",
  "Căn cứ Luật Tổ chức Chính phủ;",
  "Điều 1. Phạm vi điều chỉnh",
  "Nghị định này quy định về tổ chức và hoạt động của quỹ phát triển khoa học và công nghệ cấp tỉnh.",
  "Điều 2. Nguồn vốn của quỹ",
  "1. Vốn điều lệ do ngân sách tỉnh cấp lần đầu tối thiểu 20 tỷ đồng.",
  "2. Quỹ được nhận tài trợ của tổ chức, cá nhân.",
  "a) Tài trợ bằng tiền;",
  "b) Tài trợ bằng tài sản.",
  "Điều 3. Hiệu lực thi hành",
  "Nghị định này có hiệu lực từ ngày ký.",
];

export async function decreeDocx(): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: DECREE_LINES.map((l) => para(l)) }] }));
}

/** Points typed with Word's automatic numbering under two typed khoản: each list restarts at a). */
export async function autoNumberedDocx(): Promise<Buffer> {
  const point = (text: string) => new Paragraph({ numbering: { reference: "pts", level: 1 }, children: [new TextRun(text)] });
  const doc = new Document({
    numbering: { config: [{ reference: "pts", levels: [{ level: 1, format: LevelFormat.LOWER_LETTER, text: "%2)" }] }] },
    sections: [
      {
        children: [
          para("Điều 1. Đối tượng hỗ trợ"),
          para("1. Doanh nghiệp khởi nghiệp sáng tạo gồm:"),
          point("Doanh nghiệp thành lập dưới 5 năm;"),
          point("Doanh nghiệp có sản phẩm mới."),
          para("2. Tổ chức hỗ trợ gồm:"),
          point("Vườn ươm công nghệ;"),
          point("Trung tâm đổi mới sáng tạo."),
          para("Điều 2. Hiệu lực"),
          para("Quyết định này có hiệu lực từ ngày ký."),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * A PDF whose text layer is Unicode through a ToUnicode CMap (pdf-lib's standard fonts cannot encode
 * Vietnamese; the font is not embedded, which text extraction does not need). Each page is a list of lines.
 */
export async function textPdf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const chars = [...new Set(pages.flat().join(""))];
  const cid = new Map(chars.map((c, i) => [c, i + 1]));
  const hex4 = (n: number) => n.toString(16).padStart(4, "0");
  const utf16 = (c: string) => Buffer.from(c, "utf16le").swap16().toString("hex");
  const cmap = [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000> <FFFF>",
    "endcodespacerange",
    `${chars.length} beginbfchar`,
    ...chars.map((c) => `<${hex4(cid.get(c)!)}> <${utf16(c)}>`),
    "endbfchar",
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
  ].join("\n");
  const ctx = doc.context;
  const descriptor = ctx.register(
    ctx.obj({
      Type: "FontDescriptor",
      FontName: "ArialMT",
      Flags: 32,
      FontBBox: [0, -200, 1000, 900],
      ItalicAngle: 0,
      Ascent: 900,
      Descent: -200,
      CapHeight: 700,
      StemV: 80,
    }),
  );
  const cidFont = ctx.register(
    ctx.obj({
      Type: "Font",
      Subtype: "CIDFontType2",
      BaseFont: "ArialMT",
      CIDSystemInfo: { Registry: PDFHexString.fromText("Adobe"), Ordering: PDFHexString.fromText("Identity"), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: 500,
      CIDToGIDMap: "Identity",
    }),
  );
  const font = ctx.register(
    ctx.obj({
      Type: "Font",
      Subtype: "Type0",
      BaseFont: "ArialMT",
      Encoding: "Identity-H",
      DescendantFonts: [cidFont],
      ToUnicode: ctx.register(ctx.stream(cmap)),
    }),
  );
  const WIDTH = 480; // text width in points; every glyph is 5.5 pt wide (DW 500 at 11 pt)
  for (const paragraphs of pages) {
    const page = doc.addPage([595, 842]);
    page.node.setFontDictionary(PDFName.of("F1"), font);
    // Wrap long paragraphs and justify their lines (character spacing), as a word processor would.
    const lines = paragraphs.flatMap((p) => wrap(p, 84).map((l, i, all) => ({ l, justify: i < all.length - 1 })));
    const ops = lines
      .map(({ l, justify }, i) => {
        const n = [...l].length;
        const tc = justify && n > 1 ? (WIDTH - n * 5.5) / (n - 1) : 0;
        return `BT /F1 11 Tf ${tc.toFixed(3)} Tc 50 ${790 - i * 16} Td <${[...l].map((c) => hex4(cid.get(c)!)).join("")}> Tj ET`;
      })
      .join("\n");
    page.node.set(PDFName.of("Contents"), ctx.register(ctx.stream(ops)));
  }
  return Buffer.from(await doc.save());
}

/** Words → lines of at most `max` characters. */
export function wrap(text: string, max: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const w of text.split(" ")) {
    if (line && line.length + 1 + w.length > max) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  return [...out, line];
}

export function planPdf(): Promise<Buffer> {
  const all = [...PLAN_HEADER.issuerCells, ...PLAN_HEADER.national, PLAN_HEADER.number, PLAN_HEADER.dateLine, ...PLAN_BODY];
  return textPdf([all.slice(0, 14), all.slice(14)]);
}

/** What a scanner produces: pages with pictures (here: shapes) and no text layer. */
export async function scannedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < 2; i++) {
    const page = doc.addPage([595, 842]);
    page.drawRectangle({ x: 50, y: 600, width: 400, height: 150, color: rgb(0.8, 0.8, 0.8) });
  }
  return Buffer.from(await doc.save());
}

/** A ZIP that claims to hold word/document.xml but whose content is garbage. */
export function corruptDocx(): Buffer {
  return Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.from("\x14\x00\x00\x00word/document.xml"), crypto.randomBytes(600)]);
}

export function truncatedDocx(valid: Buffer): Buffer {
  return valid.subarray(0, Math.floor(valid.length / 2));
}

/** Every file under a directory with its sha256, for byte-for-byte comparisons. */
export function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex");
    }
  };
  walk(dir);
  return out;
}
